//! The wire view (PRODUCT part 14): switch capture of our sockets' segments on loopback on and
//! off, see why it cannot run (CAP_NET_RAW, and the one command that grants it), the segment
//! table (time, from → to, flags, seq/ack, window, length), and export as pcap.
//!
//! The view only asks for capture (an intent the app passes to the core); the capture thread is
//! the engine's. Rows are virtualised: only those on screen are laid out.

use crate::engine::wire::{grant_command, pcap_bytes};
use crate::engine::{Transport, WireProblem};
use crate::i18n::Lang;
use crate::session::Session;
use crate::session::wire::{WireEntry, WireState};
use crate::t;
use crate::ui::theme;
use egui_extras::{Column, TableBuilder};

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
    Written {
        path: String,
        segments: usize,
    },
    /// No path was given.
    NoPath,
    /// No segment was captured yet.
    NothingToExport,
    /// The file could not be written: the system's reason.
    Failed {
        path: String,
        error: String,
    },
}

impl PcapStatus {
    /// What the window says of it (in English: `Wrote 12 segments to wire.pcap; ...`).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PcapStatus::Written { path, segments } => t!(
                lang,
                "wire-export-written",
                segments = *segments,
                path = path.as_str()
            ),
            PcapStatus::NoPath => t!(lang, "code-export-no-path"),
            PcapStatus::NothingToExport => t!(lang, "wire-export-nothing"),
            PcapStatus::Failed { path, error } => t!(
                lang,
                "code-export-failed",
                path = path.as_str(),
                error = error.as_str()
            ),
        }
    }
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
            PcapStatus::NoPath
        } else if segments.is_empty() {
            PcapStatus::NothingToExport
        } else {
            match std::fs::write(&path, pcap_bytes(segments.iter().copied())) {
                Ok(()) => PcapStatus::Written {
                    path,
                    segments: segments.len(),
                },
                Err(error) => PcapStatus::Failed {
                    path,
                    error: error.to_string(),
                },
            }
        };
        self.status.insert(status)
    }

    /// The view; returns what the person asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session) -> Option<WireAction> {
        let lang = crate::ui::lang(ui.ctx());
        let mut switch = None;
        let private_network = self.private_network;
        let wire = session.wire();
        ui.horizontal_wrapped(|ui| match &wire.state {
            WireState::On {
                private_network: captured_privately,
                ..
            } => {
                ui.colored_label(theme::ok_color(ui.visuals()), t!(lang, "wire-capturing"));
                if *captured_privately {
                    ui.weak(t!(lang, "wire-private-network-note"));
                }
                if ui
                    .button(t!(lang, "wire-stop-capture"))
                    .on_hover_text(t!(lang, "wire-stop-capture-tip"))
                    .clicked()
                {
                    switch = Some(WireAction::Capture(false));
                }
            }
            WireState::Off | WireState::Unavailable(_) => {
                if ui
                    .button(t!(lang, "wire-capture"))
                    .on_hover_text(t!(lang, "wire-capture-tip"))
                    .clicked()
                {
                    switch = Some(WireAction::Capture(true));
                }
                if wire.state == WireState::Off {
                    ui.label(t!(lang, "wire-off"));
                }
            }
        });
        if private_network
            && ui
                .horizontal_wrapped(|ui| {
                    if !wire.is_on() {
                        ui.weak(t!(lang, "wire-new-sockets-private"));
                    }
                    ui.button(t!(lang, "wire-leave-private-network"))
                        .on_hover_text(t!(lang, "wire-leave-private-network-tip"))
                        .clicked()
                })
                .inner
        {
            switch = Some(WireAction::LeavePrivateNetwork);
        }
        if let WireState::Unavailable(problem) = &wire.state {
            permission_ui(ui, &problem.message_in(lang));
            if *problem == WireProblem::NoPermission && !private_network {
                let sockets_open = session.stats().sockets_open;
                ui.horizontal_wrapped(|ui| {
                    ui.label(t!(lang, "wire-without-privilege"));
                    let button = ui
                        .add_enabled(
                            sockets_open == 0,
                            egui::Button::new(t!(lang, "wire-use-private-network")),
                        )
                        .on_hover_text(t!(lang, "wire-use-private-network-tip"))
                        .on_disabled_hover_text(t!(lang, "wire-use-private-network-disabled-tip"));
                    if button.clicked() {
                        switch = Some(WireAction::UsePrivateNetwork);
                    }
                    if sockets_open > 0 {
                        ui.weak(t!(lang, "wire-close-sockets-first"));
                    }
                });
                if let Some(error) = &self.private_network_error {
                    ui.colored_label(theme::error_color(ui.visuals()), error);
                }
            }
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "wire-pcap-path"));
            ui.add(
                egui::TextEdit::singleline(&mut self.export_path)
                    .desired_width(200.0)
                    .hint_text("wire.pcap"),
            )
            .labelled_by(label.id);
            if ui
                .button(t!(lang, "wire-export-pcap"))
                .on_hover_text(t!(lang, "wire-export-pcap-tip"))
                .clicked()
            {
                self.export(session);
            }
            if let Some(status) = &self.status {
                let color = match status {
                    PcapStatus::Written { .. } => theme::ok_color(ui.visuals()),
                    _ => theme::error_color(ui.visuals()),
                };
                ui.colored_label(color, status.text(lang));
            }
            ui.checkbox(&mut self.follow, t!(lang, "code-follow-newest"));
        });
        let mut counts = vec![t!(lang, "wire-kept", count = wire.len())];
        if wire.summarised_segments() > 0 {
            counts.push(t!(
                lang,
                "wire-in-floods",
                count = wire.summarised_segments()
            ));
        }
        if wire.lost_frames() > 0 {
            counts.push(t!(lang, "wire-frames-lost", count = wire.lost_frames()));
        }
        if wire.dropped() > 0 {
            counts.push(t!(lang, "wire-oldest-dropped", count = wire.dropped()));
        }
        ui.label(egui::RichText::new(counts.join(" · ")).color(theme::muted_color(ui.visuals())));
        ui.separator();
        if wire.is_empty() {
            ui.label(
                egui::RichText::new(match wire.state {
                    WireState::On { .. } => t!(lang, "wire-no-segments-yet"),
                    _ => t!(lang, "wire-no-segments"),
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
                permission_ui(ui, &problem.message_in(crate::ui::lang(ui.ctx())));
            }
            _ if session.wire().is_empty() => {
                ui.weak(t!(crate::ui::lang(ui.ctx()), "wire-no-segments"));
            }
            _ => self.table_ui(ui, session),
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let lang = crate::ui::lang(ui.ctx());
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
                for title in [
                    t!(lang, "table-column-time"),
                    t!(lang, "wire-column-from-to"),
                    t!(lang, "wire-column-flags"),
                    t!(lang, "wire-column-seq"),
                    t!(lang, "wire-column-ack"),
                    t!(lang, "wire-column-window"),
                    t!(lang, "wire-column-length"),
                ] {
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
                                    tcp.flags.names_in(lang),
                                    tcp.seq.to_string(),
                                    tcp.ack.to_string(),
                                    tcp.window.to_string(),
                                ),
                                None => {
                                    let kind = match segment.transport {
                                        Transport::PortUnreachable => {
                                            t!(lang, "wire-icmp-port-unreachable")
                                        }
                                        _ => "UDP".to_string(),
                                    };
                                    (kind, String::new(), String::new(), String::new())
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
                                ui.label(t!(
                                    lang,
                                    "wire-flood",
                                    count = summary.segments,
                                    duration = crate::ui::duration_text(
                                        summary.to_us.saturating_sub(summary.from_us)
                                    )
                                ));
                            });
                            row.col(|ui| {
                                ui.label(t!(lang, "wire-summarised"));
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
    let lang = crate::ui::lang(ui.ctx());
    ui.group(|ui| {
        ui.colored_label(theme::warn_color(ui.visuals()), message);
        let command = grant_command();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "wire-grant-with"));
            let mut shown = command.clone();
            ui.add(
                egui::TextEdit::singleline(&mut shown)
                    .font(egui::TextStyle::Monospace)
                    .desired_width((ui.available_width() - 140.0).max(200.0)),
            )
            .labelled_by(label.id);
            if ui
                .button(t!(lang, "wire-copy-command"))
                .on_hover_text(t!(lang, "wire-copy-command-tip"))
                .clicked()
            {
                ui.ctx().copy_text(command);
            }
        });
    });
}
