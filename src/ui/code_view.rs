//! The code view: the Python line of every call in the log (newest at the bottom), "Copy all",
//! and "Export as Python" writing a runnable script of the whole session.
//!
//! Rows are virtualised with [`egui::ScrollArea::show_rows`]: only the lines on screen are
//! made, so a log of 200,000 entries costs the same per frame as one of 20.

use crate::codegen;
use crate::engine::SocketId;
use crate::i18n::Lang;
use crate::session::{LogEntry, Session};
use crate::t;
use std::collections::BTreeMap;

/// What the last export did, shown next to the button (worded when drawn).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportStatus {
    Written {
        path: String,
        bytes: usize,
    },
    /// No path was given.
    NoPath,
    /// The file could not be written: the system's own error.
    Failed {
        path: String,
        error: String,
    },
}

impl ExportStatus {
    /// The line shown next to the button, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ExportStatus::Written { path, bytes } => t!(
                lang,
                "code-export-written",
                path = path.as_str(),
                bytes = *bytes
            ),
            ExportStatus::NoPath => t!(lang, "code-export-no-path"),
            ExportStatus::Failed { path, error } => t!(
                lang,
                "code-export-failed",
                path = path.as_str(),
                error = error.as_str()
            ),
        }
    }
}

/// State of the code view.
#[derive(Debug)]
pub struct CodeView {
    /// Where "Export as Python" writes.
    pub export_path: String,
    /// Keep the newest line in view.
    pub follow: bool,
    status: Option<ExportStatus>,
    copied: Option<usize>,
}

impl Default for CodeView {
    fn default() -> Self {
        CodeView::new()
    }
}

impl CodeView {
    pub fn new() -> Self {
        CodeView {
            export_path: "session.py".to_string(),
            follow: true,
            status: None,
            copied: None,
        }
    }

    /// The result of the last export, if any.
    pub fn status(&self) -> Option<&ExportStatus> {
        self.status.as_ref()
    }

    /// Writes [`codegen::export_python`] of the session to `export_path`.
    pub fn export(&mut self, session: &Session) -> &ExportStatus {
        let path = self.export_path.trim().to_string();
        let status = if path.is_empty() {
            ExportStatus::NoPath
        } else {
            let script = codegen::export_python(session);
            match std::fs::write(&path, script.as_bytes()) {
                Ok(()) => ExportStatus::Written {
                    path,
                    bytes: script.len(),
                },
                Err(error) => ExportStatus::Failed {
                    path,
                    error: error.to_string(),
                },
            }
        };
        self.status.insert(status)
    }

    /// Every line of the view as one text (what "Copy all" copies).
    pub fn all_text(session: &Session) -> String {
        let names = codegen::python_names(session);
        let mut text = String::new();
        for entry in session.log() {
            text.push_str(&entry_line(session, &names, entry));
            text.push('\n');
        }
        text
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let lang = super::lang(ui.ctx());
        let total = session.log_len();
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(t!(lang, "code-copy-all"))
                .on_hover_text(t!(lang, "code-copy-all-tip"))
                .clicked()
            {
                ui.ctx().copy_text(CodeView::all_text(session));
                self.copied = Some(total);
            }
            if let Some(lines) = self.copied {
                ui.label(t!(lang, "code-copied", count = lines));
            }
            ui.checkbox(&mut self.follow, t!(lang, "code-follow-newest"));
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "code-export-path"));
            ui.add(
                egui::TextEdit::singleline(&mut self.export_path)
                    .desired_width(220.0)
                    .hint_text("session.py"),
            )
            .labelled_by(label.id);
            if ui
                .button(t!(lang, "code-export"))
                .on_hover_text(t!(lang, "code-export-tip"))
                .clicked()
            {
                self.export(session);
            }
            if let Some(status) = &self.status {
                let color = match status {
                    ExportStatus::Written { .. } => super::theme::ok_color(ui.visuals()),
                    ExportStatus::NoPath | ExportStatus::Failed { .. } => {
                        super::theme::error_color(ui.visuals())
                    }
                };
                ui.colored_label(color, status.text(lang));
            }
        });
        let dropped = session.dropped_log_entries();
        if dropped > 0 {
            ui.label(
                egui::RichText::new(t!(lang, "code-dropped", count = dropped))
                    .color(super::theme::muted_color(ui.visuals())),
            );
        }
        ui.separator();
        if total == 0 {
            ui.label(
                egui::RichText::new(t!(lang, "code-no-calls"))
                    .monospace()
                    .color(super::theme::muted_color(ui.visuals())),
            );
            return;
        }
        let names = codegen::python_names(session);
        let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
        let muted = super::theme::muted_color(ui.visuals());
        egui::ScrollArea::both()
            .id_salt("code_view_rows")
            .auto_shrink([false, false])
            .stick_to_bottom(self.follow)
            .show_rows(ui, row_height, total, |ui, rows| {
                for row in rows {
                    let Some(entry) = session.log_entry(row) else {
                        continue;
                    };
                    let line = entry_line(session, &names, entry);
                    let mut text = egui::RichText::new(line).monospace();
                    if matches!(entry, LogEntry::Auto(_)) {
                        text = text.color(muted);
                    }
                    ui.add(egui::Label::new(text).extend());
                }
            });
    }
}

/// The Python line of one log entry (a comment for a summary of automatic calls).
pub(crate) fn entry_line(
    session: &Session,
    names: &BTreeMap<SocketId, String>,
    entry: &LogEntry,
) -> String {
    let name = |id: SocketId| codegen::name_in(names, id);
    match entry {
        LogEntry::Call(record) => {
            let data = codegen::received_bytes(session, record);
            let line = codegen::python_line_with_data(record, &name, data);
            if record.origin == crate::engine::Origin::Auto {
                format!("{line}  [auto]")
            } else {
                line
            }
        }
        LogEntry::Auto(summary) => format!(
            "# [auto] {}: {} recv calls ({} bytes), {} send calls ({} bytes)",
            name(summary.socket),
            summary.recv_calls,
            summary.recv_bytes,
            summary.send_calls,
            summary.send_bytes
        ),
    }
}
