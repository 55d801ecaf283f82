//! The wire view (PRODUCT part 14): switch capture of our sockets' segments on loopback on and
//! off, see why it cannot run (CAP_NET_RAW, and the one command that grants it), the segment
//! table (time, from → to, flags, seq/ack, window, length), and export as pcap.
//!
//! The view only asks for capture (an intent the app passes to the core); the capture thread is
//! the engine's. Rows are virtualised: only those on screen are laid out.

use crate::engine::wire::{grant_command, pcap_bytes};
use crate::engine::{Transport, WireProblem};
use crate::session::Session;
use crate::session::wire::{WireEntry, WireState};
use crate::ui::theme;
use egui_extras::{Column, TableBuilder};

/// Said wherever a private network's capture is shown.
pub const PRIVATE_NETWORK_NOTE: &str = "in a private network namespace, where capture needs no \
     privilege: these sockets reach only each other, not the machine's";

/// What the person asked of the wire view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireAction {
    /// Capture the wire (or stop).
    Capture(bool),
    /// Make new sockets in a private network namespace and capture there.
    UsePrivateNetwork,
    /// Stop that capture; new sockets in the machine's network again.
    LeavePrivateNetwork,
}

/// What the last pcap export did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PcapStatus {
    Written { path: String, segments: usize },
    Failed(String),
}

#[derive(Debug)]
pub struct WireView {
    /// Where "Export pcap" writes.
    pub export_path: String,
    /// Keep the newest segment in view.
    pub follow: bool,
    status: Option<PcapStatus>,
    /// Why the private network could not be made, when it was last asked for.
    private_network_error: Option<String>,
    /// New sockets are made in a private network namespace now (set by the app each frame).
    private_network: bool,
}

impl Default for WireView {
    fn default() -> Self {
        WireView::new()
    }
}

impl WireView {
    pub fn new() -> Self {
        WireView {
            export_path: "wire.pcap".into(),
            follow: true,
            status: None,
            private_network_error: None,
            private_network: false,
        }
    }

    pub fn set_private_network(&mut self, private_network: bool) {
        self.private_network = private_network;
    }

    /// The answer to [`WireAction::UsePrivateNetwork`]: None when it was made.
    pub fn set_private_network_error(&mut self, error: Option<String>) {
        self.private_network_error = error;
    }

    pub fn status(&self) -> Option<&PcapStatus> {
        self.status.as_ref()
    }

    /// Writes the kept segments as a pcap file to `export_path`.
    pub fn export(&mut self, session: &Session) -> &PcapStatus {
        let path = self.export_path.trim().to_string();
        let segments: Vec<_> = session.wire().segments().map(|s| &s.segment).collect();
        let status = if path.is_empty() {
            PcapStatus::Failed("Export failed: type a file path first".into())
        } else if segments.is_empty() {
            PcapStatus::Failed("Nothing to export: no segments captured yet".into())
        } else {
            match std::fs::write(&path, pcap_bytes(segments.iter().copied())) {
                Ok(()) => PcapStatus::Written {
                    path,
                    segments: segments.len(),
                },
                Err(error) => PcapStatus::Failed(format!("Could not write {path}: {error}")),
            }
        };
        self.status.insert(status)
    }

    /// The view; returns what the person asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session) -> Option<WireAction> {
        let mut switch = None;
        let private_network = self.private_network;
        let wire = session.wire();
        ui.horizontal_wrapped(|ui| match &wire.state {
            WireState::On {
                private_network: captured_privately,
                ..
            } => {
                ui.colored_label(
                    theme::ok_color(ui.visuals()),
                    "Capturing the segments of these sockets on loopback",
                );
                if *captured_privately {
                    ui.weak(PRIVATE_NETWORK_NOTE);
                }
                if ui
                    .button("Stop capture")
                    .on_hover_text("Stop reading the wire; what was captured stays")
                    .clicked()
                {
                    switch = Some(WireAction::Capture(false));
                }
            }
            WireState::Off | WireState::Unavailable(_) => {
                if ui
                    .button("Capture the wire")
                    .on_hover_text(
                        "Show the TCP and UDP segments of the workbench's sockets on loopback, \
                         on the timeline and in this table (needs CAP_NET_RAW)",
                    )
                    .clicked()
                {
                    switch = Some(WireAction::Capture(true));
                }
                if wire.state == WireState::Off {
                    ui.label("The wire is off.");
                }
            }
        });
        if private_network
            && ui
                .horizontal_wrapped(|ui| {
                    if !wire.is_on() {
                        ui.weak("New sockets are made in a private network namespace.");
                    }
                    ui.button("Back to the machine's network")
                        .on_hover_text(
                            "Stop this capture; sockets made from now on are in the machine's \
                             network (the private ones keep working among themselves)",
                        )
                        .clicked()
                })
                .inner
        {
            switch = Some(WireAction::LeavePrivateNetwork);
        }
        if let WireState::Unavailable(problem) = &wire.state {
            permission_ui(ui, &problem.message());
            if *problem == WireProblem::NoPermission && !private_network {
                let sockets_open = session.stats().sockets_open;
                ui.horizontal_wrapped(|ui| {
                    ui.label("Or capture without privilege:");
                    let button = ui
                        .add_enabled(
                            sockets_open == 0,
                            egui::Button::new("Use a private network"),
                        )
                        .on_hover_text(
                            "Sockets made from now on live in a network namespace of their own, \
                             with its own loopback, where capture needs no privilege. They reach \
                             only each other, not the machine's other programs.",
                        )
                        .on_disabled_hover_text(
                            "Only before the first socket: close every socket first (Close all)",
                        );
                    if button.clicked() {
                        switch = Some(WireAction::UsePrivateNetwork);
                    }
                    if sockets_open > 0 {
                        ui.weak("(close every socket first)");
                    }
                });
                if let Some(error) = &self.private_network_error {
                    ui.colored_label(theme::error_color(ui.visuals()), error);
                }
            }
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("pcap path");
            ui.add(
                egui::TextEdit::singleline(&mut self.export_path)
                    .desired_width(200.0)
                    .hint_text("wire.pcap"),
            )
            .labelled_by(label.id);
            if ui
                .button("Export pcap")
                .on_hover_text("Write the segments kept as a pcap file (tcpdump -r, Wireshark)")
                .clicked()
            {
                self.export(session);
            }
            match &self.status {
                Some(PcapStatus::Written { path, segments }) => {
                    ui.colored_label(
                        theme::ok_color(ui.visuals()),
                        format!(
                            "Wrote {segments} segments to {path}; read it with: tcpdump -r {path}"
                        ),
                    );
                }
                Some(PcapStatus::Failed(message)) => {
                    ui.colored_label(theme::error_color(ui.visuals()), message);
                }
                None => {}
            }
            ui.checkbox(&mut self.follow, "Follow newest");
        });
        let mut counts = format!("{} kept", wire.len());
        if wire.summarised_segments() > 0 {
            counts.push_str(&format!(
                " · {} more in floods, counted per interval (not kept one by one)",
                wire.summarised_segments()
            ));
        }
        if wire.lost_frames() > 0 {
            counts.push_str(&format!(
                " · {} frames lost: the capture's kernel queue was full",
                wire.lost_frames()
            ));
        }
        if wire.dropped() > 0 {
            counts.push_str(&format!(" · {} oldest dropped by the cap", wire.dropped()));
        }
        ui.label(egui::RichText::new(counts).color(theme::muted_color(ui.visuals())));
        ui.separator();
        if wire.is_empty() {
            ui.label(
                egui::RichText::new(match wire.state {
                    WireState::On { .. } => {
                        "No segments yet: connect, send or close, and each segment appears here."
                    }
                    _ => "No segments captured.",
                })
                .color(theme::muted_color(ui.visuals())),
            );
            return switch;
        }
        self.table_ui(ui, session);
        switch
    }

    /// The table alone (the presenter stage), or why there is nothing in it.
    pub fn table_only_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        match &session.wire().state {
            WireState::Unavailable(problem) if session.wire().is_empty() => {
                permission_ui(ui, &problem.message());
            }
            _ if session.wire().is_empty() => {
                ui.weak("No segments captured.");
            }
            _ => self.table_ui(ui, session),
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let wire = session.wire();
        let entries: Vec<&WireEntry> = wire.entries().collect();
        let first_us = entries.first().map_or(0, |entry| entry.at_us());
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let mono = egui::TextStyle::Monospace;
        let name = |lane: Option<crate::engine::SocketId>, address: &str| {
            lane.and_then(|lane| session.socket(lane))
                .map_or_else(|| address.to_string(), |view| view.name.clone())
        };
        let mut table = TableBuilder::new(ui)
            .id_salt("wire segments")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, true])
            .min_scrolled_height(120.0)
            .max_scroll_height(f32::INFINITY)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::auto().at_least(70.0))
            .column(Column::initial(220.0).at_least(80.0).clip(true))
            .column(Column::initial(150.0).at_least(60.0))
            .columns(Column::auto().at_least(50.0), 4);
        if self.follow {
            table = table.scroll_to_row(entries.len().saturating_sub(1), None);
        }
        table
            .header(row_height, |mut header| {
                for title in ["time", "from → to", "flags", "seq", "ack", "win", "len"] {
                    header.col(|ui| {
                        // Monospace: the arrow is in that font.
                        ui.label(egui::RichText::new(title).text_style(mono.clone()).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, entries.len(), |mut row| {
                    let Some(entry) = entries.get(row.index()) else {
                        return;
                    };
                    let time = format!("{:.3} ms", (entry.at_us() - first_us) as f64 / 1e3);
                    match entry {
                        WireEntry::Segment(wired) => {
                            let segment = &wired.segment;
                            let from = name(wired.from_lane, &segment.from.to_string());
                            let to = name(wired.to_lane, &segment.to.to_string());
                            let (flags, seq, ack, win) = match segment.tcp() {
                                Some(tcp) => (
                                    tcp.flags.names(),
                                    tcp.seq.to_string(),
                                    tcp.ack.to_string(),
                                    tcp.window.to_string(),
                                ),
                                None => {
                                    let kind = match segment.transport {
                                        Transport::PortUnreachable => "ICMP port unreachable",
                                        _ => "UDP",
                                    };
                                    (kind.into(), String::new(), String::new(), String::new())
                                }
                            };
                            let cells = [
                                time,
                                format!("{from} → {to}"),
                                flags,
                                seq,
                                ack,
                                win,
                                segment.payload_len().to_string(),
                            ];
                            for text in cells {
                                row.col(|ui| {
                                    ui.label(egui::RichText::new(text).text_style(mono.clone()));
                                });
                            }
                        }
                        WireEntry::Summary(band) => {
                            let summary = &band.summary;
                            row.col(|ui| {
                                ui.label(egui::RichText::new(time).text_style(mono.clone()));
                            });
                            row.col(|ui| {
                                ui.label(format!(
                                    "flood: {} segments in {}",
                                    summary.segments,
                                    crate::ui::duration_text(
                                        summary.to_us.saturating_sub(summary.from_us)
                                    )
                                ));
                            });
                            row.col(|ui| {
                                ui.label("(summarised)");
                            });
                            for _ in 0..3 {
                                row.col(|_| {});
                            }
                            row.col(|ui| {
                                ui.label(summary.payload_bytes.to_string());
                            });
                        }
                    }
                });
            });
    }
}

/// Why the wire is not shown, and the one command that grants capture (selectable, and a
/// button that copies it).
pub fn permission_ui(ui: &mut egui::Ui, message: &str) {
    ui.group(|ui| {
        ui.colored_label(theme::warn_color(ui.visuals()), message);
        let command = grant_command();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("grant with");
            let mut shown = command.clone();
            ui.add(
                egui::TextEdit::singleline(&mut shown)
                    .font(egui::TextStyle::Monospace)
                    .desired_width((ui.available_width() - 140.0).max(200.0)),
            )
            .labelled_by(label.id);
            if ui
                .button("Copy command")
                .on_hover_text(
                    "Copy the command that lets this program capture, then run it in a terminal",
                )
                .clicked()
            {
                ui.ctx().copy_text(command);
            }
        });
    });
}
