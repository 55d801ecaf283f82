//! The keyboard: Tab / Shift-Tab move through the widgets (egui's own), Enter or Space performs
//! the focused one (egui's own), Escape cancels the selected socket's pending calls, and the
//! focused widget wears a ring that a class can see from the back of the room.

use super::Intent;
use crate::engine::SocketId;
use crate::session::Session;

/// A ring around the widget that has the keyboard focus, drawn above everything. egui shows
/// focus only as its "active" colours, which a projector washes out.
pub fn focus_ring_ui(ctx: &egui::Context, projector: bool) {
    let Some(focused) = ctx.memory(|memory| memory.focused()) else {
        return;
    };
    let Some(response) = ctx.read_response(focused) else {
        return;
    };
    let width = if projector { 4.0 } else { 2.0 };
    let color = ctx.global_style().visuals.selection.stroke.color;
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("keyboard focus ring"),
    ));
    painter.rect_stroke(
        response.rect.expand(width),
        egui::CornerRadius::same(3),
        egui::Stroke::new(width, color),
        egui::StrokeKind::Outside,
    );
}

/// Escape cancels the pending calls of the socket in the focused inspector, unless a text
/// field has the keyboard (there Escape only leaves the field) or nothing is pending.
pub fn escape_cancels(
    ctx: &egui::Context,
    session: &Session,
    selected: Option<SocketId>,
    intents: &mut Vec<Intent>,
) {
    if ctx.egui_wants_keyboard_input() || !ctx.input(|input| input.key_pressed(egui::Key::Escape)) {
        return;
    }
    if let Some(socket) = selected
        && session
            .socket(socket)
            .is_some_and(|view| !view.pending.is_empty())
    {
        intents.push(Intent::Cancel(socket));
    }
}
