//! The received data of the selected socket: one row per recv call (so merged and split TCP
//! messages and whole datagrams are visible), as text with control bytes escaped.

use super::bytes_text;
use crate::session::{Chunk, ChunkKind, SocketView, escape_bytes};

/// A row shows at most this many bytes of its chunk, so a huge chunk cannot stall a frame.
const SHOWN_BYTES: usize = 512;

pub fn received_ui(ui: &mut egui::Ui, view: &SocketView) {
    ui.horizontal_wrapped(|ui| {
        ui.strong("Received");
        ui.weak(format!(
            "{} chunks, {} in total",
            view.counters.chunks,
            bytes_text(view.counters.bytes_in)
        ));
        let dropped = view
            .counters
            .chunks
            .saturating_sub(view.chunks.len() as u64);
        if dropped > 0 {
            ui.weak(format!("({dropped} oldest chunks dropped: memory cap)"));
        }
    });
    if view.chunks.is_empty() {
        ui.weak("Nothing received yet.");
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt(("received_scroll", view.id.0))
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show_rows(ui, row_height, view.chunks.len(), |ui, rows| {
            for chunk in rows.filter_map(|row| view.chunks.get(row)) {
                chunk_row_ui(ui, view, chunk);
            }
        });
}

fn chunk_row_ui(ui: &mut egui::Ui, view: &SocketView, chunk: &Chunk) {
    ui.horizontal(|ui| {
        let secs = chunk.at_us.saturating_sub(view.opened_us) as f64 / 1_000_000.0;
        ui.weak(format!("+{secs:.3} s"));
        match chunk.kind {
            ChunkKind::Data => {
                ui.weak(format!("{} B", chunk.data.len()));
            }
            ChunkKind::Eof => {
                ui.weak("0 B");
                ui.colored_label(ui.visuals().warn_fg_color, "EOF (peer closed)");
            }
            ChunkKind::AutoSample {
                recv_calls,
                recv_bytes,
            } => {
                ui.weak(format!(
                    "auto: {recv_calls} recv calls, {}; first bytes:",
                    bytes_text(recv_bytes)
                ));
            }
        }
        if let Some(from) = &chunk.from {
            ui.weak(format!("from {from}"));
        }
        if let Some(real) = chunk.truncated_from {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("truncated: the datagram had {real} B"),
            );
        }
        if !chunk.data.is_empty() {
            let shown = &chunk.data[..chunk.data.len().min(SHOWN_BYTES)];
            let mut text = escape_bytes(shown);
            if shown.len() < chunk.data.len() {
                text.push_str(&format!(
                    " ... ({} more bytes)",
                    chunk.data.len() - shown.len()
                ));
            }
            ui.add(egui::Label::new(egui::RichText::new(text).monospace()).truncate());
        }
    });
}
