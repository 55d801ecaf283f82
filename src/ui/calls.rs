//! The call rows of a socket's inspector: one row per socket call with its arguments, a button
//! that is disabled (with the reason as its tooltip) when the call makes no sense in the
//! socket's state, and next to it what the call last did or the call it is blocked in now.

use super::theme;
use super::{Intent, blocked_text, duration_text};
use crate::codegen::python_value;
use crate::engine::explain;
use crate::engine::{
    AddrArg, Call, CallId, CallKind, Family, Lifecycle, Outcome, RecvFlags, ShutdownHow, SockType,
    SocketAddress, SocketId, WokenBy,
};
use crate::i18n::{Lang, outcome_words};
use crate::session::{LastResult, Session, SocketView};
use crate::t;

/// What a person has typed into one socket's call rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallForm {
    pub name: String,
    pub bind_addr: String,
    pub backlog: String,
    pub connect_addr: String,
    pub bufsize: String,
    pub recv_flags: RecvFlags,
    pub shutdown_how: ShutdownHow,
    /// The engine refused to pass a call on (the socket's thread is gone).
    pub engine_error: Option<String>,
    /// The socket's address change the fields last followed ([`CallForm::follow`]).
    followed_addresses: Option<u64>,
    /// The listen() whose backlog the field last took.
    followed_listen: Option<CallId>,
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
            bufsize: "1024".into(),
            recv_flags: RecvFlags::default(),
            shutdown_how: ShutdownHow::Write,
            engine_error: None,
            followed_addresses: None,
            followed_listen: None,
        }
    }

    /// Fields that describe the socket follow it, whoever made the call (a person, a script,
    /// a quick start): after bind, the address it got; after connect, the peer; after listen,
    /// the backlog used.
    pub fn follow(&mut self, view: &SocketView) {
        if self.followed_addresses != Some(view.addresses_changed_at) {
            self.followed_addresses = Some(view.addresses_changed_at);
            if let Some(local) = view
                .local
                .as_ref()
                .filter(|local| local.port().is_none_or(|port| port != 0))
                && view.parent.is_none()
            {
                self.bind_addr = local.field_text();
            }
            if let Some(peer) = &view.peer {
                self.connect_addr = peer.connect_address().field_text();
            }
        }
        if let Some(listen) = view.last_result(CallKind::Listen)
            && self.followed_listen != Some(listen.call_id)
        {
            self.followed_listen = Some(listen.call_id);
            if let Call::Listen { backlog } = listen.call {
                self.backlog = backlog.to_string();
            }
        }
    }
}

/// What asking for the kernel's view does (the "kernel" button beside the calls), in English;
/// the window words it from the catalogue (`settings-ask-kernel-tip`).
pub const KERNEL_TOOLTIP: &str = "Ask the kernel what it holds for this socket now: queued bytes, buffer sizes, TCP state, accept queue.";

fn stream_connected(state: Lifecycle) -> bool {
    matches!(
        state,
        Lifecycle::Connected | Lifecycle::PeerClosed | Lifecycle::WriteShut
    )
}

/// Whether a call makes sense in the socket's state; the reason, in `lang`, when it does not.
pub fn availability_in(lang: Lang, kind: CallKind, view: &SocketView) -> Result<(), String> {
    if view.closed {
        return Err(t!(lang, "calls-closed"));
    }
    let stream = view.sock_type == SockType::Stream;
    let state = view.state;
    match kind {
        CallKind::Bind if state != Lifecycle::Created => {
            Err(t!(lang, "calls-bind-once", state = state.label(lang)))
        }
        CallKind::Listen if !stream => Err(t!(lang, "calls-listen-not-udp")),
        CallKind::Listen if state == Lifecycle::Created => Err(t!(lang, "calls-listen-needs-bind")),
        CallKind::Listen if state != Lifecycle::Bound && state != Lifecycle::Listening => {
            Err(t!(lang, "calls-listen-unconnected"))
        }
        CallKind::Accept if !stream => Err(t!(lang, "calls-accept-not-udp")),
        CallKind::Accept if state != Lifecycle::Listening => {
            Err(t!(lang, "calls-accept-needs-listen"))
        }
        CallKind::Connect if state == Lifecycle::Listening => {
            Err(t!(lang, "calls-connect-listening"))
        }
        CallKind::Connect
            if stream && (stream_connected(state) || state == Lifecycle::Connecting) =>
        {
            Err(t!(lang, "calls-connect-once"))
        }
        CallKind::Recv | CallKind::RecvFrom if stream && state == Lifecycle::Listening => {
            Err(t!(lang, "calls-recv-listening"))
        }
        CallKind::Recv | CallKind::RecvFrom
            if stream && matches!(state, Lifecycle::Created | Lifecycle::Bound) =>
        {
            Err(t!(lang, "calls-recv-unconnected"))
        }
        CallKind::Recv | CallKind::RecvFrom if !stream && state == Lifecycle::Created => {
            Err(t!(lang, "calls-recv-unbound-udp"))
        }
        CallKind::Send | CallKind::SendAll
            if stream && !matches!(state, Lifecycle::Connected | Lifecycle::PeerClosed) =>
        {
            if state == Lifecycle::WriteShut {
                Err(t!(lang, "calls-send-shut"))
            } else {
                Err(t!(lang, "calls-send-unconnected"))
            }
        }
        CallKind::Send | CallKind::SendAll if !stream && view.peer.is_none() => {
            Err(t!(lang, "calls-send-no-peer"))
        }
        CallKind::SendTo if stream => Err(t!(lang, "calls-sendto-stream")),
        CallKind::Shutdown if !stream || !stream_connected(state) => {
            Err(t!(lang, "calls-shutdown-unconnected"))
        }
        CallKind::GetPeerName if view.peer.is_none() => Err(t!(lang, "calls-no-peer")),
        _ => Ok(()),
    }
}

/// Whether the call makes sense in the socket's state (see [`availability_in`]; the reason
/// is not needed here).
fn available(kind: CallKind, view: &SocketView) -> bool {
    availability_in(Lang::En, kind, view).is_ok()
}

/// Checks an address as a person typed or pasted it: what [`AddrArg::parse_text`] accepts
/// (`127.0.0.1:8080`, `[::1]:80`, a path) or Python's notation (`('127.0.0.1', 8080)`, as a
/// student copies it from a tutorial or from the workbench), with a port that fits in 16 bits
/// and a host that is not empty. Only a person's text comes here: the workbench's own
/// addresses are typed ([`SocketAddress`]) and never read back from text. What is wrong, in
/// `lang`.
pub fn parse_address_in(lang: Lang, text: &str, family: Family) -> Result<AddrArg, String> {
    let addr = match split_python_address(text) {
        Some((host, port)) => AddrArg::Inet {
            host: host.to_string(),
            port: port
                .trim()
                .parse()
                .map_err(|_| t!(lang, "calls-bad-port", port = port.trim()))?,
        },
        None => AddrArg::parse_text(lang, text, family)?,
    };
    if let AddrArg::Inet { host, port } = &addr {
        if *port > u32::from(u16::MAX) {
            return Err(t!(lang, "calls-port-out-of-range", port = port.to_string()));
        }
        if host.is_empty() {
            return Err(t!(lang, "calls-host-missing"));
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

/// A text field with a visible label that also names it for screen readers and tests.
pub fn labelled_field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    width: f32,
) -> egui::Response {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .desired_width(width)
            .min_size(egui::vec2(width, 0.0)),
    )
    .labelled_by(label.id)
}

pub fn error_label(ui: &mut egui::Ui, message: &str) {
    ui.colored_label(theme::error_color(ui.visuals()), message);
}

/// The button of one call: enabled, or disabled with the reason it cannot be made now.
pub fn call_button(ui: &mut egui::Ui, kind: CallKind, view: &SocketView) -> bool {
    let lang = super::lang(ui.ctx());
    let text = format!("{kind}()");
    match availability_in(lang, kind, view) {
        Ok(()) => ui.button(text).on_hover_text(kind.tooltip(lang)).clicked(),
        Err(reason) => {
            ui.add_enabled(false, egui::Button::new(text))
                .on_disabled_hover_text(format!(
                    "{}\n\n{}",
                    kind.tooltip(lang),
                    t!(lang, "calls-not-now", reason = reason)
                ));
            false
        }
    }
}

fn push_call(intents: &mut Vec<Intent>, socket: SocketId, call: Call) {
    intents.push(Intent::Call { socket, call });
}

/// One row of the call grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallRow {
    Bind,
    Listen,
    Accept,
    Connect,
    Recv,
    Shutdown,
    Names,
    Close,
}

impl CallRow {
    /// The calls of the row (its buttons).
    fn kinds(self, stream: bool) -> &'static [CallKind] {
        match self {
            CallRow::Bind => &[CallKind::Bind],
            CallRow::Listen => &[CallKind::Listen],
            CallRow::Accept => &[CallKind::Accept],
            CallRow::Connect => &[CallKind::Connect],
            CallRow::Recv if stream => &[CallKind::Recv],
            CallRow::Recv => &[CallKind::Recv, CallKind::RecvFrom],
            CallRow::Shutdown => &[CallKind::Shutdown],
            CallRow::Names => &[CallKind::GetSockName, CallKind::GetPeerName],
            CallRow::Close => &[CallKind::Close],
        }
    }
}

/// The call rows, built around the next action: the calls that can be made now (or are
/// pending), each with its arguments, button and what it did; the others folded into one line
/// of disabled buttons whose hover says why not now.
pub fn calls_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    form: &mut CallForm,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    let socket = view.id;
    let stream = view.sock_type == SockType::Stream;
    form.follow(view);
    let rows: Vec<CallRow> = [
        CallRow::Bind,
        CallRow::Listen,
        CallRow::Accept,
        CallRow::Connect,
        CallRow::Recv,
        CallRow::Shutdown,
        CallRow::Names,
        CallRow::Close,
    ]
    .into_iter()
    .filter(|row| stream || !matches!(row, CallRow::Listen | CallRow::Accept | CallRow::Shutdown))
    .collect();
    let now = |row: &CallRow| {
        row.kinds(stream).iter().any(|kind| {
            available(*kind, view)
                || view
                    .pending
                    .iter()
                    .any(|pending| pending.call.kind() == *kind)
        })
    };
    let (shown, folded): (Vec<CallRow>, Vec<CallRow>) = rows.into_iter().partition(now);
    egui::Grid::new(("call_rows", socket.0))
        .num_columns(2)
        .spacing([10.0, 8.0])
        .striped(true)
        .show(ui, |ui| {
            let mut row = RowContext {
                session,
                view,
                form: &mut *form,
                now_us,
                intents: &mut *intents,
            };
            for call_row in shown {
                match call_row {
                    CallRow::Bind => bind_row(ui, &mut row),
                    CallRow::Listen => listen_row(ui, &mut row),
                    CallRow::Accept => accept_row(ui, &mut row),
                    CallRow::Connect => connect_row(ui, &mut row),
                    CallRow::Recv => recv_row(ui, &mut row),
                    CallRow::Shutdown => shutdown_row(ui, &mut row),
                    CallRow::Names => names_row(ui, &mut row),
                    CallRow::Close => close_row(ui, &mut row),
                }
            }
        });
    if !folded.is_empty() {
        ui.horizontal_wrapped(|ui| {
            let lang = super::lang(ui.ctx());
            ui.weak(t!(lang, "calls-not-now-label"))
                .on_hover_text(t!(lang, "calls-not-now-label-tip"));
            for call_row in folded {
                for kind in call_row.kinds(stream) {
                    // Always disabled here; its hover says why.
                    call_button(ui, *kind, view);
                }
            }
        });
    }
}

/// shutdown(how).
fn shutdown_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let (session, view, now_us) = (row.session, row.view, row.now_us);
    let clicked = call_button(ui, CallKind::Shutdown, view);
    let form = &mut *row.form;
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            for how in [ShutdownHow::Read, ShutdownHow::Write, ShutdownHow::Both] {
                ui.selectable_value(&mut form.shutdown_how, how, how.python_name());
            }
        });
        result_ui(ui, session, view, CallKind::Shutdown, now_us);
    });
    if clicked {
        push_call(row.intents, view.id, Call::Shutdown(form.shutdown_how));
    }
    ui.end_row();
}

/// getsockname() and getpeername().
fn names_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let (session, view, now_us) = (row.session, row.view, row.now_us);
    ui.horizontal(|ui| {
        if call_button(ui, CallKind::GetSockName, view) {
            push_call(row.intents, view.id, Call::GetSockName);
        }
        if call_button(ui, CallKind::GetPeerName, view) {
            push_call(row.intents, view.id, Call::GetPeerName);
        }
    });
    ui.vertical(|ui| {
        result_ui(ui, session, view, CallKind::GetSockName, now_us);
        result_ui(ui, session, view, CallKind::GetPeerName, now_us);
    });
    ui.end_row();
}

/// close().
fn close_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let (session, view, now_us) = (row.session, row.view, row.now_us);
    if call_button(ui, CallKind::Close, view) {
        push_call(row.intents, view.id, Call::Close);
    }
    ui.vertical(|ui| result_ui(ui, session, view, CallKind::Close, now_us));
    ui.end_row();
}

/// What every call row needs: the socket, its form, the clock, where clicks go.
struct RowContext<'a> {
    session: &'a Session,
    view: &'a SocketView,
    form: &'a mut CallForm,
    now_us: u64,
    intents: &'a mut Vec<Intent>,
}

/// bind(address), with a warning for a wildcard address.
fn bind_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let RowContext {
        session,
        view,
        form,
        now_us,
        intents,
    } = row;
    let (session, view, now_us) = (*session, *view, *now_us);
    let socket = view.id;
    let lang = super::lang(ui.ctx());
    // bind
    let clicked = call_button(ui, CallKind::Bind, view);
    let parsed = ui
        .vertical(|ui| {
            let parsed = ui
                .horizontal_wrapped(|ui| {
                    labelled_field(
                        ui,
                        &t!(lang, "calls-bind-address"),
                        &mut form.bind_addr,
                        190.0,
                    );
                    let parsed = parse_address_in(lang, &form.bind_addr, view.family);
                    match &parsed {
                        Err(message) => error_label(ui, message),
                        Ok(AddrArg::Inet { host, .. }) if is_wildcard(host) => {
                            ui.colored_label(
                                theme::warn_color(ui.visuals()),
                                t!(lang, "calls-all-interfaces"),
                            );
                        }
                        Ok(_) => {}
                    }
                    parsed
                })
                .inner;
            result_ui(ui, session, view, CallKind::Bind, now_us);
            parsed
        })
        .inner;
    if clicked && let Ok(addr) = parsed {
        push_call(intents, socket, Call::Bind(addr));
    }
    ui.end_row();
}

/// listen(backlog).
fn listen_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let RowContext {
        session,
        view,
        form,
        now_us,
        intents,
    } = row;
    let (session, view, now_us) = (*session, *view, *now_us);
    let lang = super::lang(ui.ctx());
    let clicked = call_button(ui, CallKind::Listen, view);
    let parsed = ui
        .vertical(|ui| {
            let parsed = ui
                .horizontal_wrapped(|ui| {
                    labelled_field(ui, &t!(lang, "calls-backlog"), &mut form.backlog, 50.0);
                    let parsed = form
                        .backlog
                        .trim()
                        .parse::<i32>()
                        .map_err(|_| t!(lang, "calls-bad-backlog", text = form.backlog.trim()));
                    if let Err(message) = &parsed {
                        error_label(ui, message);
                    }
                    parsed
                })
                .inner;
            result_ui(ui, session, view, CallKind::Listen, now_us);
            parsed
        })
        .inner;
    if clicked && let Ok(backlog) = parsed {
        push_call(intents, view.id, Call::Listen { backlog });
    }
    ui.end_row();
}

/// accept().
fn accept_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let (session, view, now_us) = (row.session, row.view, row.now_us);
    if call_button(ui, CallKind::Accept, view) {
        push_call(row.intents, view.id, Call::Accept);
    }
    ui.vertical(|ui| result_ui(ui, session, view, CallKind::Accept, now_us));
    ui.end_row();
}

/// connect(address), with shortcuts to the session's listening sockets.
fn connect_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let RowContext {
        session,
        view,
        form,
        now_us,
        intents,
    } = row;
    let (session, view, now_us) = (*session, *view, *now_us);
    let socket = view.id;
    let lang = super::lang(ui.ctx());
    // connect
    let clicked = call_button(ui, CallKind::Connect, view);
    let parsed = ui
        .vertical(|ui| {
            let parsed = ui
                .horizontal_wrapped(|ui| {
                    labelled_field(
                        ui,
                        &t!(lang, "calls-connect-address"),
                        &mut form.connect_addr,
                        190.0,
                    );
                    let parsed = parse_address_in(lang, &form.connect_addr, view.family);
                    if let Err(message) = &parsed {
                        error_label(ui, message);
                    }
                    parsed
                })
                .inner;
            let targets = connect_targets(session, view);
            if !targets.is_empty() {
                ui.horizontal_wrapped(|ui| target_shortcuts_ui(ui, &targets, form));
            }
            result_ui(ui, session, view, CallKind::Connect, now_us);
            parsed
        })
        .inner;
    if clicked && let Ok(addr) = parsed {
        push_call(intents, socket, Call::Connect(addr));
    }
    ui.end_row();
}

/// recv / recvfrom(bufsize, flags).
fn recv_row(ui: &mut egui::Ui, row: &mut RowContext<'_>) {
    let RowContext {
        session,
        view,
        form,
        now_us,
        intents,
    } = row;
    let (session, view, now_us) = (*session, *view, *now_us);
    let socket = view.id;
    let stream = view.sock_type == SockType::Stream;
    let lang = super::lang(ui.ctx());
    // recv / recvfrom
    let (recv, recvfrom) = ui
        .horizontal(|ui| {
            let recv = call_button(ui, CallKind::Recv, view);
            let recvfrom = !stream && call_button(ui, CallKind::RecvFrom, view);
            (recv, recvfrom)
        })
        .inner;
    let parsed = ui
        .vertical(|ui| {
            let parsed = ui
                .horizontal_wrapped(|ui| {
                    labelled_field(ui, &t!(lang, "calls-bufsize"), &mut form.bufsize, 70.0);
                    ui.checkbox(&mut form.recv_flags.peek, "MSG_PEEK")
                        .on_hover_text(t!(lang, "calls-peek-tip"));
                    if stream {
                        ui.checkbox(&mut form.recv_flags.waitall, "MSG_WAITALL")
                            .on_hover_text(t!(lang, "calls-waitall-tip"));
                    }
                    ui.checkbox(&mut form.recv_flags.dontwait, "MSG_DONTWAIT")
                        .on_hover_text(t!(lang, "calls-dontwait-tip"));
                    let parsed = form
                        .bufsize
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| t!(lang, "calls-bad-bufsize", text = form.bufsize.trim()));
                    if let Err(message) = &parsed {
                        error_label(ui, message);
                    }
                    parsed
                })
                .inner;
            result_ui(ui, session, view, CallKind::Recv, now_us);
            if !stream {
                result_ui(ui, session, view, CallKind::RecvFrom, now_us);
            }
            parsed
        })
        .inner;
    if let Ok(bufsize) = parsed {
        let flags = form.recv_flags;
        if recv {
            push_call(intents, socket, Call::Recv { bufsize, flags });
        }
        if recvfrom {
            push_call(intents, socket, Call::RecvFrom { bufsize, flags });
        }
    }
    ui.end_row();
}

/// Name, kind, state, addresses, counters, and the pending calls with Cancel.
pub fn header_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    form: &mut CallForm,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    let lang = super::lang(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        ui.heading(&view.name);
        if let Some(role) = role_text(lang, view) {
            ui.label(egui::RichText::new(role).strong())
                .on_hover_text(t!(lang, "calls-role-tip"));
        }
        ui.label(format!(
            "{} {}",
            view.family.label(lang),
            view.sock_type.label(lang, view.family)
        ));
        ui.colored_label(
            state_color(ui.visuals(), view.state),
            egui::RichText::new(view.state.label(lang)).strong(),
        );
        ui.weak(view.mode.label(lang));
    });
    if let Some(failure) = &view.failure {
        ui.colored_label(
            theme::error_color(ui.visuals()),
            t!(lang, "calls-thread-failed", failure = failure.to_string()),
        );
    }
    ui.horizontal_wrapped(|ui| {
        let local = view
            .local
            .as_ref()
            .map_or_else(|| t!(lang, "address-none-yet"), ToString::to_string);
        ui.label(t!(lang, "calls-local", address = local));
        if let Some(peer) = &view.peer {
            ui.label(t!(lang, "calls-peer", address = peer.to_string()));
        }
        let counters = view.counters;
        ui.weak(t!(
            lang,
            "calls-counters",
            bytes_in = super::bytes_text(counters.bytes_in),
            recv_calls = counters.recv_calls,
            bytes_out = super::bytes_text(counters.bytes_out),
            send_calls = counters.send_calls,
        ))
        .on_hover_text(t!(lang, "calls-counters-tip"));
    });
    activity_line_ui(ui, session, view, now_us, intents);
    if view.automation.is_on() && !view.closed {
        ui.colored_label(
            theme::pending_color(ui.visuals()),
            t!(
                lang,
                "calls-automatic",
                summary = view.automation.summary(lang)
            ),
        )
        .on_hover_text(t!(lang, "calls-automatic-tip"));
    }
    if let Some(error) = &form.engine_error {
        error_label(ui, error);
    }
}

/// One line that is always there (nothing below it moves): the call the socket is blocked
/// in now, with Cancel, else the latest result of any call (its explanation is at its call's
/// row), so the call just made is never out of sight.
fn activity_line_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    let slot = egui::Id::unique(("activity line", view.id.0));
    let row = ui.spacing().interact_size.y;
    let lang = super::lang(ui.ctx());
    super::steady_height(ui, slot, row, |ui| {
        if !view.pending.is_empty() {
            // One line, whatever the width: Cancel first, the pending calls after it.
            ui.horizontal(|ui| {
                let text = view
                    .pending
                    .iter()
                    .map(|pending| blocked_text(lang, &pending.call, pending.started_us, now_us))
                    .collect::<Vec<_>>()
                    .join("; ");
                let cancel = ui
                    .button(t!(lang, "call-cancel"))
                    .on_hover_text(t!(lang, "call-cancel-tip"))
                    .clicked();
                if cancel {
                    intents.push(Intent::Cancel(view.id));
                }
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(text)
                            .strong()
                            .color(theme::pending_color(ui.visuals())),
                    )
                    .truncate(),
                );
            });
            return;
        }
        let latest = view
            .last_results
            .iter()
            .map(|(_, last)| last)
            .max_by_key(|last| (last.returned_us, last.call_id));
        let (text, color) = match latest {
            Some(last) => {
                let data = view
                    .chunks
                    .iter()
                    .rev()
                    .take(64)
                    .find(|chunk| chunk.call_id == Some(last.call_id))
                    .map(|chunk| chunk.data.as_slice());
                let (headline, tone) = result_headline(lang, session, last, data);
                (
                    t!(lang, "result-latest", headline = headline),
                    tone.color(ui.visuals()),
                )
            }
            None => (
                t!(lang, "result-latest-none"),
                ui.visuals().weak_text_color(),
            ),
        };
        ui.add(egui::Label::new(egui::RichText::new(text).color(color)).truncate());
    });
}

/// The socket's name, to change (it is shown by it in every view).
pub fn rename_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    form: &mut CallForm,
    intents: &mut Vec<Intent>,
) {
    let lang = super::lang(ui.ctx());
    ui.horizontal(|ui| {
        if labelled_field(ui, &t!(lang, "calls-name"), &mut form.name, 160.0).changed() {
            intents.push(Intent::Rename {
                socket: view.id,
                name: form.name.clone(),
            });
        }
        if form.name.trim() != view.name && !form.name.trim().is_empty() {
            ui.weak(t!(lang, "calls-name-taken", name = view.name.as_str()));
        }
    });
}

/// What a socket is for, from its calls: a listener, a connection a listener accepted, or a
/// client (a stream socket that connected). None for a socket that has done neither yet.
pub fn role_text(lang: Lang, view: &SocketView) -> Option<String> {
    if view.parent.is_some() {
        return Some(t!(lang, "calls-role-accepted"));
    }
    if view.state == Lifecycle::Listening || !view.children.is_empty() {
        return Some(t!(lang, "calls-role-listener"));
    }
    let connected = view.peer.is_some() || view.last_peer.is_some();
    match view.sock_type {
        SockType::Stream if connected || view.state == Lifecycle::Connecting => {
            Some(t!(lang, "calls-role-client"))
        }
        _ => None,
    }
}

/// Other sockets one may connect or send to: listeners (and bound datagram sockets) of this
/// family and type.
pub fn connect_targets<'a>(
    session: &'a Session,
    view: &SocketView,
) -> Vec<(&'a str, &'a SocketAddress)> {
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
        .filter_map(|other| Some((other.name.as_str(), other.local.as_ref()?)))
        .collect()
}

/// Where a datagram socket may send: the address its destination starts from, and the other
/// sockets one click away.
pub struct Destinations<'a> {
    /// The socket it last heard from, else the newest other datagram socket that has an
    /// address (never a port nothing listens on).
    pub suggested: Option<SocketAddress>,
    pub targets: Vec<(&'a str, &'a SocketAddress)>,
}

pub fn destinations<'a>(session: &'a Session, view: &SocketView) -> Destinations<'a> {
    let targets = connect_targets(session, view);
    let heard_from = view
        .chunks
        .iter()
        .rev()
        .find_map(|chunk| chunk.from.clone());
    let suggested = heard_from.or_else(|| targets.last().map(|(_, address)| (*address).clone()));
    Destinations { suggested, targets }
}

/// Buttons that fill the connect address with another socket's address.
fn target_shortcuts_ui(ui: &mut egui::Ui, targets: &[(&str, &SocketAddress)], form: &mut CallForm) {
    let lang = super::lang(ui.ctx());
    ui.weak(t!(lang, "calls-to"));
    for (name, local) in targets {
        if ui
            .small_button(format!("{name} {local}"))
            .on_hover_text(t!(lang, "calls-use-address-tip"))
            .clicked()
        {
            form.connect_addr = local.connect_address().field_text();
        }
    }
}

/// The colour of a lifecycle state: healthy states green, errors red, closed muted.
pub fn state_color(visuals: &egui::Visuals, state: Lifecycle) -> egui::Color32 {
    match state {
        Lifecycle::Error => theme::error_color(visuals),
        Lifecycle::Closed => visuals.weak_text_color(),
        Lifecycle::Listening | Lifecycle::Connected => theme::ok_color(visuals),
        Lifecycle::Connecting | Lifecycle::WriteShut | Lifecycle::PeerClosed => {
            theme::warn_color(visuals)
        }
        Lifecycle::Created | Lifecycle::Bound => visuals.text_color(),
    }
}

fn is_wildcard(host: &str) -> bool {
    matches!(host, "0.0.0.0" | "::" | "")
}

/// What the latest call of this name did, or the call it is blocked in now.
pub fn result_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    kind: CallKind,
    now_us: u64,
) {
    // A result line keeps its place (pending, then the result), so neither moves the buttons
    // below: from the start for a call that can block while it can be made (its result comes
    // later, when the pointer may be elsewhere), from its first result for the others (theirs
    // come at once, under the button just clicked).
    let made =
        view.pending.iter().any(|p| p.call.kind() == kind) || view.last_result(kind).is_some();
    let may_wait = kind.can_block() && available(kind, view);
    let least = if made || may_wait {
        super::line_height(ui)
    } else {
        0.0
    };
    let slot = egui::Id::unique(("result line", view.id.0, kind.name()));
    super::steady_height(ui, slot, least, |ui| {
        if let Some(pending) = view.pending.iter().find(|p| p.call.kind() == kind) {
            ui.colored_label(
                theme::pending_color(ui.visuals()),
                egui::RichText::new(blocked_text(
                    super::lang(ui.ctx()),
                    &pending.call,
                    pending.started_us,
                    now_us,
                ))
                .strong(),
            );
            return;
        }
        if let Some(last) = view.last_result(kind) {
            let data = view
                .chunks
                .iter()
                .rev()
                .take(64)
                .find(|chunk| chunk.call_id == Some(last.call_id))
                .map(|chunk| chunk.data.as_slice());
            last_result_ui(ui, session, last, data);
        }
    });
}

/// How a result line is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultTone {
    Ok,
    Error,
    Warn,
}

impl ResultTone {
    pub fn color(self, visuals: &egui::Visuals) -> egui::Color32 {
        match self {
            ResultTone::Ok => theme::ok_color(visuals),
            ResultTone::Error => theme::error_color(visuals),
            ResultTone::Warn => theme::warn_color(visuals),
        }
    }
}

/// What the latest of these calls did (or the one pending), in one place that keeps its
/// height: the send buttons share one result line.
pub fn latest_of_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    kinds: &[CallKind],
    now_us: u64,
) {
    let slot = egui::Id::unique(("latest of", view.id.0, kinds.first().map(|k| k.name())));
    let made = view.pending.iter().any(|p| kinds.contains(&p.call.kind()))
        || kinds.iter().any(|kind| view.last_result(*kind).is_some());
    let least = if made || kinds.iter().any(|kind| available(*kind, view)) {
        super::line_height(ui)
    } else {
        0.0
    };
    super::steady_height(ui, slot, least, |ui| {
        if let Some(pending) = view.pending.iter().find(|p| kinds.contains(&p.call.kind())) {
            ui.colored_label(
                theme::pending_color(ui.visuals()),
                egui::RichText::new(blocked_text(
                    super::lang(ui.ctx()),
                    &pending.call,
                    pending.started_us,
                    now_us,
                ))
                .strong(),
            );
            return;
        }
        let latest = kinds
            .iter()
            .filter_map(|kind| view.last_result(*kind))
            .max_by_key(|last| (last.returned_us, last.call_id));
        if let Some(last) = latest {
            last_result_ui(ui, session, last, None);
        }
    });
}

/// A result in one line: `recv(1024) -> b'hi' (2 bytes) · 0.1 ms · blocked until ...`, or
/// the errno by name; the outcome in the words every view uses.
pub fn result_headline(
    lang: Lang,
    session: &Session,
    last: &LastResult,
    data: Option<&[u8]>,
) -> (String, ResultTone) {
    let took = duration_text(last.duration_us);
    let woken = if last.woken_by == WokenBy::NoWait {
        String::new()
    } else {
        format!(
            " · {}",
            t!(
                lang,
                "result-blocked-until",
                what = explain::woken_in(lang, &last.call, last.woken_by, &last.outcome)
            )
        )
    };
    let value = |value: &crate::engine::Value| {
        let names = |socket: SocketId| session.socket_name(socket);
        let python = python_value(&last.call, last.from.as_ref(), value, &names, data);
        match (&last.call, value, data) {
            (Call::Recv { .. } | Call::RecvFrom { .. }, crate::engine::Value::Bytes(0), _) => {
                explain::empty_recv_in(lang, &last.call, last.context.as_ref())
            }
            (Call::Recv { .. } | Call::RecvFrom { .. }, _, Some(data)) => {
                format!(
                    "{python} ({})",
                    t!(lang, "result-bytes", count = data.len())
                )
            }
            _ => python,
        }
    };
    let words = outcome_words(lang, Some(&last.outcome), last.call.name(), value);
    let result = match words.note {
        Some(note) => format!("{} ({note})", words.result),
        None => words.result,
    };
    let call = last.call.text();
    let (woken, tone) = match &last.outcome {
        Outcome::Errno(_) => (woken, ResultTone::Error),
        Outcome::Ok(_) => (woken, ResultTone::Ok),
        // The workbench ended it: nothing woke it.
        Outcome::Cancelled(_) => (String::new(), ResultTone::Warn),
        _ => (woken, ResultTone::Warn),
    };
    (format!("{call} -> {result} · {took}{woken}"), tone)
}

/// A result in words: its headline, then for an errno its explanation and usual fix, and
/// for a datagram sent where nothing listens, that.
pub fn last_result_ui(
    ui: &mut egui::Ui,
    session: &Session,
    last: &LastResult,
    data: Option<&[u8]>,
) {
    let lang = super::lang(ui.ctx());
    let (headline, tone) = result_headline(lang, session, last, data);
    ui.vertical(|ui| {
        let text = egui::RichText::new(headline);
        let text = if tone == ResultTone::Error {
            text.strong()
        } else {
            text
        };
        ui.colored_label(tone.color(ui.visuals()), text);
        if let Outcome::Errno(code) = &last.outcome {
            let explained = explain::errno_in(lang, *code, &last.call, last.context.as_ref());
            ui.label(explained.text);
            if let Some(fix) = explained.fix {
                ui.label(t!(lang, "result-usual-fix", fix = fix));
            }
        }
        if let Some(note) = explain::nothing_bound_in(lang, &last.call, last.context.as_ref()) {
            ui.colored_label(theme::warn_color(ui.visuals()), note);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Mode;
    use crate::engine::event::{Event, SocketInfo, StateChange};

    #[test]
    fn addresses_are_read_in_both_notations() {
        assert_eq!(
            parse_address_in(Lang::En, "127.0.0.1:8080", Family::Ipv4),
            Ok(AddrArg::inet("127.0.0.1", 8080))
        );
        assert_eq!(
            parse_address_in(Lang::En, "('127.0.0.1', 8080)", Family::Ipv4),
            Ok(AddrArg::inet("127.0.0.1", 8080))
        );
        assert_eq!(
            parse_address_in(Lang::En, "('::1', 80, 0, 0)", Family::Ipv6),
            Ok(AddrArg::inet("::1", 80))
        );
    }

    #[test]
    fn bad_addresses_are_refused_with_a_reason() {
        let error = parse_address_in(Lang::En, "127.0.0.1:99999", Family::Ipv4).unwrap_err();
        assert!(error.contains("out of range"), "{error}");
        assert!(parse_address_in(Lang::En, "127.0.0.1", Family::Ipv4).is_err());
        assert!(parse_address_in(Lang::En, ":80", Family::Ipv4).is_err());
        assert!(parse_address_in(Lang::En, "127.0.0.1:http", Family::Ipv4).is_err());
    }

    #[test]
    fn a_socket_address_fills_the_connect_field() {
        let field = |address: &str| {
            SocketAddress::from(address.parse::<std::net::SocketAddr>().unwrap())
                .connect_address()
                .field_text()
        };
        assert_eq!(field("127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(field("0.0.0.0:5000"), "127.0.0.1:5000");
        assert_eq!(field("[::]:80"), "[::1]:80");
        let path = SocketAddress::Path("/tmp/x.sock".into());
        assert_eq!(path.connect_address().field_text(), "/tmp/x.sock");
        // What the field gets is what the form parses back to the same address.
        assert_eq!(
            parse_address_in(Lang::En, &field("0.0.0.0:5000"), Family::Ipv4),
            Ok(AddrArg::inet("127.0.0.1", 5000))
        );
    }

    fn view_in(state: Lifecycle, sock_type: SockType, peer_port: Option<u16>) -> SocketView {
        let loopback = |port| SocketAddress::inet(std::net::Ipv4Addr::LOCALHOST.into(), port);
        let mut session = Session::default();
        let socket = SocketId(1);
        session.apply(Event::Opened(SocketInfo {
            socket,
            family: Family::Ipv4,
            sock_type,
            parent: None,
            at_us: 0,
        }));
        session.apply(Event::State(StateChange {
            socket,
            at_us: 1,
            state,
            mode: Mode::Blocking,
            local: Some(loopback(5000)),
            peer: peer_port.map(loopback),
        }));
        session.socket(socket).cloned().expect("socket")
    }

    #[test]
    fn fields_that_describe_the_socket_follow_it() {
        let fresh = view_in(Lifecycle::Created, SockType::Stream, None);
        let mut form = CallForm::new(&fresh);
        let connected = view_in(Lifecycle::Connected, SockType::Stream, Some(6000));
        form.follow(&connected);
        assert_eq!(form.bind_addr, "127.0.0.1:5000");
        assert_eq!(form.connect_addr, "127.0.0.1:6000");
        // A person's typing stays until the socket changes again.
        form.connect_addr = "127.0.0.1:7000".into();
        form.follow(&connected);
        assert_eq!(form.connect_addr, "127.0.0.1:7000");

        let mut listener = view_in(Lifecycle::Listening, SockType::Stream, None);
        listener.last_results.push((
            crate::session::ResultKey {
                kind: CallKind::Listen,
                option: None,
            },
            LastResult {
                call_id: CallId(9),
                call: Call::Listen { backlog: 16 },
                outcome: Outcome::Ok(crate::engine::Value::None),
                returned_us: 2,
                duration_us: 0,
                bytes_moved: 0,
                woken_by: WokenBy::NoWait,
                context: None,
                from: None,
            },
        ));
        form.follow(&listener);
        assert_eq!(
            form.backlog, "16",
            "the backlog listen() used, not the default 5"
        );
    }

    #[test]
    fn calls_that_make_no_sense_now_say_why() {
        let created = view_in(Lifecycle::Created, SockType::Stream, None);
        assert_eq!(
            availability_in(Lang::En, CallKind::Listen, &created),
            Err("listen needs a bound stream socket: call bind() first".into())
        );
        assert!(availability_in(Lang::En, CallKind::Bind, &created).is_ok());
        assert!(
            availability_in(Lang::En, CallKind::Accept, &created)
                .unwrap_err()
                .contains("listening socket")
        );
        assert!(
            availability_in(Lang::En, CallKind::Recv, &created)
                .unwrap_err()
                .contains("connected socket")
        );

        let listening = view_in(Lifecycle::Listening, SockType::Stream, None);
        assert!(availability_in(Lang::En, CallKind::Accept, &listening).is_ok());
        assert!(availability_in(Lang::En, CallKind::Bind, &listening).is_err());
        assert!(availability_in(Lang::En, CallKind::Connect, &listening).is_err());

        let connected = view_in(Lifecycle::Connected, SockType::Stream, Some(1));
        for call in [
            CallKind::Send,
            CallKind::SendAll,
            CallKind::Recv,
            CallKind::Shutdown,
            CallKind::GetPeerName,
            CallKind::Close,
        ] {
            assert!(
                availability_in(Lang::En, call, &connected).is_ok(),
                "{call}"
            );
        }
        assert!(availability_in(Lang::En, CallKind::SendTo, &connected).is_err());

        let udp = view_in(Lifecycle::Bound, SockType::Datagram, None);
        assert!(
            availability_in(Lang::En, CallKind::Listen, &udp)
                .unwrap_err()
                .contains("UDP has no connections")
        );
        assert!(availability_in(Lang::En, CallKind::SendTo, &udp).is_ok());
        assert!(
            availability_in(Lang::En, CallKind::Send, &udp)
                .unwrap_err()
                .contains("sendto")
        );
        assert!(availability_in(Lang::En, CallKind::RecvFrom, &udp).is_ok());
    }
}
