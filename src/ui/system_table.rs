//! The system socket table, like `netstat -ano`: every socket on the machine (from /proc/net on
//! Linux), ours highlighted, filtered by port, state and "only ours".
//!
//! [`SystemTableView::ui`] reads the table again at most every [`REFRESH_INTERVAL`] while it is
//! drawn (and asks for a repaint then), so a hidden table costs nothing. The reading happens on a
//! short-lived thread, not in the frame: the kernel takes several milliseconds to write out
//! /proc/net/tcp on a machine with many sockets (about 10 ms for 500 sockets here, most of it in
//! the kernel walking its hash tables), which would be a visible hitch twice a second.
//!
//! Ours: a socket whose inode a workbench socket has (never the window's own display
//! connection, which the process also holds), or one with inode 0 (TIME_WAIT after our close,
//! or a connection waiting in our accept queue) whose local or remote address one of our sockets
//! had. The session remembers those addresses as events arrive ([`crate::session::Session::addresses_seen`]: a
//! closed socket no longer has an address).

use super::calls::error_label;
use super::kernel_view::tcp_state_explanation;
use super::theme;
use crate::engine::SocketAddress;
use crate::engine::proc_net::{self, SystemSocket, SystemTable};
use crate::i18n::Lang;
use crate::t;
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use std::collections::HashSet;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// How often the table is read again while it is drawn.
pub const REFRESH_INTERVAL: Duration = Duration::from_millis(500);

/// The states the filter offers ("all" is an empty filter; "(none)" a row without a state).
pub const STATE_CHOICES: [&str; 14] = [
    "LISTEN",
    "ESTABLISHED",
    "TIME_WAIT",
    "CLOSE_WAIT",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "LAST_ACK",
    "SYN_SENT",
    "SYN_RECV",
    "CLOSING",
    "CLOSE",
    "LISTENING",
    "CONNECTED",
    "(none)",
];

/// True for an address worth remembering: not empty, not an unbound Unix socket, not port 0.
/// One reading of the table: the sockets, how long it took.
struct Reading {
    table: SystemTable,
    took: Duration,
}

fn read_now(network_of: Option<u32>) -> Reading {
    let started = Instant::now();
    let table = proc_net::read_all(network_of);
    Reading {
        table,
        took: started.elapsed(),
    }
}

/// The table, its filters and when it was read.
pub struct SystemTableView {
    table: SystemTable,
    /// The workbench's sockets (from the engine): only these are "ours", never the window's
    /// own connection to the display server, which this process also holds.
    workbench_inodes: HashSet<u64>,
    /// Read this process's network namespace instead of the machine's (a private network).
    network_of: Option<u32>,
    /// When the latest reading was asked for.
    last_request: Option<Instant>,
    /// A reading under way on its own thread.
    pending: Option<Receiver<Reading>>,
    /// At least one reading has arrived.
    read_once: bool,
    read_time: Duration,
    port_filter: String,
    /// Empty: all states.
    state_filter: String,
    only_ours: bool,
    paused: bool,
    /// On stage: only the rows with one of these ports (empty: no such filter).
    ports: Vec<u16>,
}

impl Default for SystemTableView {
    fn default() -> Self {
        Self::new()
    }
}

impl SystemTableView {
    pub fn new() -> Self {
        SystemTableView {
            table: SystemTable::default(),
            workbench_inodes: HashSet::new(),
            network_of: None,
            last_request: None,
            pending: None,
            read_once: false,
            read_time: Duration::ZERO,
            port_filter: String::new(),
            state_filter: String::new(),
            only_ours: false,
            paused: false,
            ports: Vec::new(),
        }
    }

    /// Reads /proc/net now, on the calling thread.
    pub fn refresh(&mut self) {
        self.last_request = Some(Instant::now());
        self.pending = None;
        self.apply(read_now(self.network_of));
    }

    fn apply(&mut self, reading: Reading) {
        self.table = reading.table;
        self.read_time = reading.took;
        self.read_once = true;
    }

    /// Starts a reading on its own thread; it wakes the UI when done. If no thread can be
    /// started, reads here.
    fn request(&mut self, ctx: &egui::Context) {
        self.last_request = Some(Instant::now());
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let network_of = self.network_of;
        let spawned = std::thread::Builder::new()
            .name("system socket table".into())
            .spawn(move || {
                // The view may be gone by then; nothing to do about it.
                let _ = sender.send(read_now(network_of));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.pending = Some(receiver),
            Err(_) => self.refresh(),
        }
    }

    /// Takes in a finished reading.
    fn collect(&mut self) {
        let Some(receiver) = &self.pending else {
            return;
        };
        match receiver.try_recv() {
            Ok(reading) => {
                self.pending = None;
                self.apply(reading);
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.pending = None,
        }
    }

    /// A reading has arrived since the view was made (false while the first is under way).
    pub fn has_read(&self) -> bool {
        self.read_once
    }

    /// A reading is under way.
    pub fn is_reading(&self) -> bool {
        self.pending.is_some()
    }

    /// The table as last read.
    pub fn table(&self) -> &SystemTable {
        &self.table
    }

    /// How long the last read took.
    pub fn read_time(&self) -> Duration {
        self.read_time
    }

    pub fn only_ours(&self) -> bool {
        self.only_ours
    }

    pub fn set_only_ours(&mut self, only_ours: bool) {
        self.only_ours = only_ours;
    }

    /// Keeps only sockets with this local or remote port (empty: all).
    pub fn set_port_filter(&mut self, port: impl Into<String>) {
        self.port_filter = port.into();
    }

    /// Keeps only sockets in this state (empty: all).
    pub fn set_state_filter(&mut self, state: impl Into<String>) {
        self.state_filter = state.into();
    }

    /// The port filter's port (None: no port filter); Err with the text when it is not a
    /// port number.
    fn port(&self) -> Result<Option<u16>, &str> {
        let text = self.port_filter.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<u16>().map(Some).map_err(|_| text)
    }

    /// The rows shown (index into the table, and whether the socket is ours), after the
    /// filters. A port filter that is not a number filters nothing.
    pub fn visible_rows(&self, our_addresses: &HashSet<SocketAddress>) -> Vec<(usize, bool)> {
        let port = self.port().ok().flatten();
        self.table
            .sockets
            .iter()
            .enumerate()
            .filter_map(|(index, socket)| {
                let remote_port = socket.remote.as_ref().and_then(SocketAddress::port);
                if let Some(port) = port
                    && socket.local.port() != Some(port)
                    && remote_port != Some(port)
                {
                    return None;
                }
                let listed =
                    |port: Option<u16>| port.is_some_and(|port| self.ports.contains(&port));
                if !self.ports.is_empty() && !listed(socket.local.port()) && !listed(remote_port) {
                    return None;
                }
                let state_ok = match self.state_filter.as_str() {
                    "" => true,
                    "(none)" => socket.state.is_empty(),
                    state => socket.state == state,
                };
                if !state_ok {
                    return None;
                }
                let ours = proc_net::is_ours(socket, &self.workbench_inodes, our_addresses);
                (ours || !self.only_ours).then_some((index, ours))
            })
            .collect::<Vec<_>>()
    }

    /// The rows to draw: ours first (in table order), then the others.
    fn ordered_rows(&self, our_addresses: &HashSet<SocketAddress>) -> Vec<(usize, bool)> {
        let mut rows = self.visible_rows(our_addresses);
        // A stable sort keeps the kernel's order within each group.
        rows.sort_by_key(|(_, ours)| !*ours);
        rows
    }

    fn due(&self) -> bool {
        if self.pending.is_some() {
            return false;
        }
        match self.last_request {
            None => true,
            Some(at) => !self.paused && at.elapsed() >= REFRESH_INTERVAL,
        }
    }

    /// Only the rows with one of these ports (the presenter stage's filter: a script's ports).
    pub fn set_ports(&mut self, ports: Vec<u16>) {
        self.ports = ports;
    }

    /// The table alone, without its controls (on the presenter stage).
    pub fn stage_ui(&mut self, ui: &mut egui::Ui, our_addresses: &HashSet<SocketAddress>) {
        let lang = crate::ui::lang(ui.ctx());
        self.keep_reading(ui.ctx());
        if let Some(reason) = self.table.unavailable_in(lang) {
            ui.label(reason);
            return;
        }
        if !self.read_once {
            ui.weak(t!(lang, "system-reading"));
            return;
        }
        let rows = self.ordered_rows(our_addresses);
        if rows.is_empty() {
            ui.weak(t!(lang, "system-no-socket-with-ports"));
            return;
        }
        // State first: on stage it is the point (TIME_WAIT after close, LISTEN, ...).
        let accent = ui.visuals().selection.stroke.color;
        egui::ScrollArea::both()
            .id_salt("stage system table")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("stage system rows")
                    .striped(true)
                    .spacing([12.0, 4.0])
                    .show(ui, |ui| {
                        for title in [
                            t!(lang, "system-state"),
                            t!(lang, "system-column-local"),
                            t!(lang, "system-column-remote"),
                            String::new(),
                        ] {
                            ui.strong(title);
                        }
                        ui.end_row();
                        for (index, ours) in rows {
                            let Some(socket) = self.table.sockets.get(index) else {
                                continue;
                            };
                            let text = |text: String| {
                                if ours {
                                    RichText::new(text).strong().color(accent)
                                } else {
                                    RichText::new(text)
                                }
                            };
                            let state = if socket.state.is_empty() {
                                t!(lang, "system-state-none")
                            } else {
                                socket.state.clone()
                            };
                            ui.label(text(state));
                            if waits_for_peers(socket) && socket.local.reachable_from_network() {
                                ui.label(
                                    text(t!(
                                        lang,
                                        "system-address-reachable",
                                        address = socket.local.to_string(),
                                        reachable = t!(lang, "address-reachable-from-network")
                                    ))
                                    .color(theme::warn_color(ui.visuals())),
                                );
                            } else {
                                ui.label(text(socket.local.to_string()));
                            }
                            ui.label(text(
                                socket
                                    .remote
                                    .as_ref()
                                    .map_or_else(String::new, ToString::to_string),
                            ));
                            ui.label(text(if ours {
                                t!(lang, "system-ours")
                            } else {
                                String::new()
                            }));
                            ui.end_row();
                        }
                    });
            });
    }

    /// The workbench's sockets' inodes (see [`crate::engine::Engine::socket_inodes`]).
    pub fn set_workbench_inodes(&mut self, inodes: HashSet<u64>) {
        self.workbench_inodes = inodes;
    }

    /// Read the sockets of the private network namespace this process is in (None: the
    /// machine's).
    pub fn set_network_of(&mut self, network_of: Option<u32>) {
        self.network_of = network_of;
    }

    /// Takes a finished reading and starts a new one if the last is [`REFRESH_INTERVAL`] old
    /// (and the view is not paused).
    fn keep_reading(&mut self, ctx: &egui::Context) {
        self.collect();
        if self.due() {
            self.request(ctx);
        }
        if !self.paused {
            ctx.request_repaint_after(REFRESH_INTERVAL);
        }
    }

    /// Draws the controls and the table, reading /proc/net again as it goes.
    pub fn ui(&mut self, ui: &mut egui::Ui, our_addresses: &HashSet<SocketAddress>) {
        let lang = crate::ui::lang(ui.ctx());
        self.keep_reading(ui.ctx());
        if let Some(reason) = self.table.unavailable_in(lang) {
            ui.label(reason);
            return;
        }
        self.controls_ui(ui, lang);
        if !self.read_once {
            ui.weak(t!(lang, "system-reading"));
            return;
        }
        let rows = self.ordered_rows(our_addresses);
        let ours = rows.iter().filter(|(_, ours)| *ours).count();
        ui.horizontal_wrapped(|ui| {
            ui.weak(t!(
                lang,
                "system-summary",
                total = self.table.sockets.len(),
                shown = rows.len(),
                ours = ours,
                ms = format!("{:.1}", self.read_time.as_secs_f64() * 1000.0)
            ));
        });
        if !self.table.errors.is_empty() {
            egui::CollapsingHeader::new(t!(
                lang,
                "system-read-problems",
                count = self.table.errors.len()
            ))
            .id_salt("system table errors")
            .show(ui, |ui| {
                for error in self.table.errors.iter().take(20) {
                    error_label(ui, &error.text(lang));
                }
            });
        }
        self.table_ui(ui, lang, &rows);
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "system-port"));
            ui.add(
                egui::TextEdit::singleline(&mut self.port_filter)
                    .desired_width(60.0)
                    .hint_text(t!(lang, "system-port-any")),
            )
            .labelled_by(label.id)
            .on_hover_text(t!(lang, "system-port-tip"));
            let label = ui.label(t!(lang, "system-state"));
            let selected = state_choice_text(lang, &self.state_filter);
            egui::ComboBox::from_id_salt("system table state")
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.state_filter,
                        String::new(),
                        t!(lang, "system-state-all"),
                    );
                    for state in STATE_CHOICES {
                        let response = ui.selectable_value(
                            &mut self.state_filter,
                            state.to_string(),
                            state_choice_text(lang, state),
                        );
                        let explanation = tcp_state_explanation(lang, state);
                        if !explanation.is_empty() {
                            response.on_hover_text(explanation);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut self.only_ours, t!(lang, "system-only-ours"))
                .on_hover_text(t!(lang, "system-only-ours-tip"));
            ui.checkbox(&mut self.paused, t!(lang, "system-pause"))
                .on_hover_text(t!(lang, "system-pause-tip"));
            if ui.button(t!(lang, "system-refresh")).clicked() && self.pending.is_none() {
                self.request(ui.ctx());
            }
            if let Err(text) = self.port() {
                error_label(ui, &t!(lang, "system-not-a-port", text = text));
            }
        });
    }

    fn table_ui(&self, ui: &mut egui::Ui, lang: Lang, rows: &[(usize, bool)]) {
        // Ours: bold, on the selection background (set_selected), in the selection's text colour.
        let accent = ui.visuals().selection.stroke.color;
        let row_height = egui::TextStyle::Body.resolve(ui.style()).size + 6.0;
        let cell = |ui: &mut egui::Ui, text: String, ours: bool| {
            let mut text = RichText::new(text);
            if ours {
                text = text.strong().color(accent);
            }
            ui.add(egui::Label::new(text).truncate())
        };
        TableBuilder::new(ui)
            .id_salt("system sockets")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, true])
            .min_scrolled_height(120.0)
            .max_scroll_height(f32::INFINITY)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(40.0))
            .column(Column::auto().at_least(40.0))
            .column(Column::initial(200.0).at_least(80.0).clip(true))
            .column(Column::initial(200.0).at_least(80.0).clip(true))
            .column(Column::initial(100.0).at_least(60.0))
            .columns(Column::auto().at_least(50.0), 4)
            .header(row_height, |mut header| {
                for title in [
                    String::new(),
                    t!(lang, "system-column-proto"),
                    t!(lang, "system-column-local"),
                    t!(lang, "system-column-remote"),
                    t!(lang, "system-state"),
                    t!(lang, "system-column-rx-queue"),
                    t!(lang, "system-column-tx-queue"),
                    "inode".to_string(),
                    "uid".to_string(),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let Some((index, ours)) = rows.get(row.index()).copied() else {
                        return;
                    };
                    let Some(socket) = self.table.sockets.get(index) else {
                        return;
                    };
                    row.set_selected(ours);
                    row_cells(&mut row, lang, socket, ours, &cell);
                });
            });
    }
}

/// A state as the filter offers it: its netstat name, or "all" / "(none)" in words.
fn state_choice_text(lang: Lang, state: &str) -> String {
    match state {
        "" => t!(lang, "system-state-all"),
        "(none)" => t!(lang, "system-state-none"),
        state => state.to_string(),
    }
}

fn row_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    lang: Lang,
    socket: &SystemSocket,
    ours: bool,
    cell: &impl Fn(&mut egui::Ui, String, bool) -> egui::Response,
) {
    row.col(|ui| {
        if ours {
            cell(ui, t!(lang, "system-ours"), true);
        }
    });
    row.col(|ui| {
        let proto = match &socket.unix_type {
            Some(kind) => format!("unix {}", kind.to_lowercase()),
            None => socket.proto.label().to_string(),
        };
        cell(ui, proto, ours);
    });
    row.col(|ui| {
        // An unnamed Unix socket: an empty cell, as netstat shows it.
        let local = match &socket.local {
            SocketAddress::Unnamed => String::new(),
            named => named.to_string(),
        };
        if waits_for_peers(socket) && socket.local.reachable_from_network() {
            let shown = t!(
                lang,
                "system-address-reachable",
                address = local.as_str(),
                reachable = t!(lang, "address-reachable-from-network")
            );
            cell(ui, shown, ours).on_hover_text(t!(
                lang,
                "system-address-reachable-tip",
                address = local.as_str()
            ));
        } else {
            cell(ui, local.clone(), ours).on_hover_text(local);
        }
    });
    row.col(|ui| {
        let remote = socket.remote.as_ref().map(ToString::to_string);
        cell(ui, remote.unwrap_or_default(), ours);
    });
    row.col(|ui| {
        let response = cell(ui, socket.state.clone(), ours);
        let explanation = tcp_state_explanation(lang, &socket.state);
        if !explanation.is_empty() {
            response.on_hover_text(explanation);
        }
    });
    let unix = socket.unix_type.is_some();
    row.col(|ui| {
        cell(
            ui,
            if unix {
                String::new()
            } else {
                socket.rx_queue.to_string()
            },
            ours,
        );
    });
    row.col(|ui| {
        cell(
            ui,
            if unix {
                String::new()
            } else {
                socket.tx_queue.to_string()
            },
            ours,
        );
    });
    row.col(|ui| {
        cell(ui, socket.inode.to_string(), ours);
    });
    row.col(|ui| {
        cell(
            ui,
            if unix {
                String::new()
            } else {
                socket.uid.to_string()
            },
            ours,
        );
    });
}

/// A TCP listener: a row other machines could connect to. (An unconnected UDP socket on
/// 0.0.0.0 can be written to from the network too, but so can every UDP client; the bind
/// form warns about an explicit wildcard bind.)
fn waits_for_peers(socket: &SystemSocket) -> bool {
    socket.proto.is_tcp() && socket.state == "LISTEN"
}
