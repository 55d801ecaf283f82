//! The sockets panel: create sockets, and one card per socket (accepted connections under
//! their listener) with its state, addresses and the call it is blocked in.

use super::{Intent, blocked_text};
use crate::engine::{Call, Family, Lifecycle, SockType, SocketId};
use crate::session::{Session, SocketView};

/// Accepted connections of accepted connections cannot happen; this only bounds the recursion.
const MAX_DEPTH: usize = 4;

pub fn sockets_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    selected: Option<SocketId>,
    new_family: &mut Family,
    new_type: &mut SockType,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    ui.heading("Sockets");
    ui.horizontal_wrapped(|ui| {
        if ui.button("New TCP socket").clicked() {
            intents.push(Intent::Create {
                family: Family::Ipv4,
                sock_type: SockType::Stream,
            });
        }
        if ui.button("New UDP socket").clicked() {
            intents.push(Intent::Create {
                family: Family::Ipv4,
                sock_type: SockType::Datagram,
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        for family in [Family::Ipv4, Family::Ipv6, Family::Unix] {
            ui.selectable_value(new_family, family, family.label());
        }
        ui.separator();
        for sock_type in [SockType::Stream, SockType::Datagram] {
            let text = match sock_type {
                SockType::Stream => "stream",
                SockType::Datagram => "datagram",
            };
            ui.selectable_value(new_type, sock_type, text);
        }
        let text = format!(
            "New {} {} socket",
            new_family.label(),
            new_type.label(*new_family)
        );
        if ui.button(text).clicked() {
            intents.push(Intent::Create {
                family: *new_family,
                sock_type: *new_type,
            });
        }
    });
    ui.separator();

    egui::ScrollArea::vertical()
        .id_salt("sockets_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut any = false;
            for view in session.root_sockets() {
                any = true;
                socket_tree_ui(ui, session, view, selected, now_us, intents, 0);
            }
            if !any {
                ui.weak("No sockets yet.");
            }
        });
}

fn socket_tree_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    selected: Option<SocketId>,
    now_us: u64,
    intents: &mut Vec<Intent>,
    depth: usize,
) {
    socket_card_ui(ui, view, selected == Some(view.id), now_us, intents);
    if view.children.is_empty() || depth >= MAX_DEPTH {
        return;
    }
    ui.indent(("children", view.id.0), |ui| {
        for child in view.children.iter().filter_map(|id| session.socket(*id)) {
            socket_tree_ui(ui, session, child, selected, now_us, intents, depth + 1);
        }
    });
}

fn socket_card_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    is_selected: bool,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    ui.push_id(("socket_card", view.id.0), |ui| {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                if ui.selectable_label(is_selected, &view.name).clicked() {
                    intents.push(Intent::Select(view.id));
                }
                ui.weak(format!(
                    "{} {}",
                    view.family.label(),
                    view.sock_type.label(view.family)
                ));
                let closable = !view.closed;
                if ui
                    .add_enabled(closable, egui::Button::new("Close"))
                    .on_hover_text(format!("close() {}", view.name))
                    .clicked()
                {
                    intents.push(Intent::Call {
                        socket: view.id,
                        call: Call::Close,
                    });
                }
            });
            ui.horizontal_wrapped(|ui| {
                let color = state_color(ui, view.state);
                ui.colored_label(color, view.state.label());
                ui.weak(view.mode.to_string());
            });
            if view.local.is_some() || view.peer.is_some() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!(
                        "local {}",
                        view.local.as_deref().unwrap_or("(unbound)")
                    ));
                    if let Some(peer) = &view.peer {
                        ui.label(format!("peer {peer}"));
                    }
                });
            }
            for pending in &view.pending {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    blocked_text(&pending.call, pending.started_us, now_us),
                );
            }
        });
    });
}

fn state_color(ui: &egui::Ui, state: Lifecycle) -> egui::Color32 {
    match state {
        Lifecycle::Error => ui.visuals().error_fg_color,
        Lifecycle::Closed => ui.visuals().weak_text_color(),
        Lifecycle::Listening | Lifecycle::Connected => egui::Color32::from_rgb(40, 160, 70),
        _ => ui.visuals().text_color(),
    }
}
