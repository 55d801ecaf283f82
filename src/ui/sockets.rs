//! The sockets panel: create sockets, and one card per socket (accepted connections under
//! their listener) with its state, addresses and the call it is blocked in.

use super::calls::state_color;
use super::{Intent, blocked_text, theme};
use crate::engine::{Call, Family, SockType, SocketId};
use crate::session::{Session, SocketView};
use std::collections::HashMap;

/// Accepted connections of accepted connections cannot happen; this only bounds the recursion.
const MAX_DEPTH: usize = 4;

#[allow(clippy::too_many_arguments)]
pub fn sockets_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    selected: Option<SocketId>,
    shown: &HashMap<u64, SocketId>,
    new_family: &mut Family,
    new_type: &mut SockType,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    ui.horizontal(|ui| {
        ui.heading("Sockets");
        let open = session.stats().sockets_open;
        if ui
            .add_enabled(open > 0, egui::Button::new("Close all"))
            .on_hover_text("close() every open socket")
            .clicked()
        {
            intents.push(Intent::CloseAll);
        }
    });
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
        .show_viewport(ui, |ui, viewport| {
            let mut any = false;
            let content_top = ui.min_rect().top();
            // Hundreds of sockets: a tree scrolled out of sight takes its last height, undrawn.
            let visible = viewport.expand2(egui::vec2(0.0, viewport.height()));
            for view in session.root_sockets() {
                any = true;
                let height_id = ui.scope_id().with(("socket_tree_height", view.id.0));
                let known: Option<f32> = ui.data(|data| data.get_temp(height_id));
                let top = ui.cursor().top() - content_top;
                if let Some(height) = known
                    && (top + height < visible.top() || top > visible.bottom())
                {
                    ui.allocate_space(egui::vec2(ui.available_width(), height));
                    continue;
                }
                let drawn = ui.scope(|ui| {
                    socket_tree_ui(ui, session, view, selected, shown, now_us, intents, 0);
                });
                let height = drawn.response.rect.height();
                ui.data_mut(|data| data.insert_temp(height_id, height));
            }
            if !any {
                ui.weak("No sockets yet.");
            }
        });
}

#[allow(clippy::too_many_arguments)]
fn socket_tree_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    selected: Option<SocketId>,
    shown: &HashMap<u64, SocketId>,
    now_us: u64,
    intents: &mut Vec<Intent>,
    depth: usize,
) {
    let is_shown = shown.values().any(|id| *id == view.id);
    socket_card_ui(
        ui,
        view,
        selected == Some(view.id),
        is_shown,
        now_us,
        intents,
    );
    if view.children.is_empty() || depth >= MAX_DEPTH {
        return;
    }
    ui.indent(("children", view.id.0), |ui| {
        for child in view.children.iter().filter_map(|id| session.socket(*id)) {
            socket_tree_ui(
                ui,
                session,
                child,
                selected,
                shown,
                now_us,
                intents,
                depth + 1,
            );
        }
    });
}

fn socket_card_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    is_selected: bool,
    is_shown: bool,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    ui.push_id(("socket_card", view.id.0), |ui| {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(is_selected, &view.name)
                    .on_hover_text("show this socket in the inspector")
                    .clicked()
                {
                    intents.push(Intent::Select(view.id));
                }
                ui.weak(format!(
                    "{} {}",
                    view.family.label(),
                    view.sock_type.label(view.family)
                ));
                if ui
                    .small_button("beside")
                    .on_hover_text(if is_shown {
                        "shown already; open another inspector for it beside the others"
                    } else {
                        "open this socket in a new inspector beside the others"
                    })
                    .clicked()
                {
                    intents.push(Intent::OpenBeside(view.id));
                }
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
                let color = state_color(ui.visuals(), view.state);
                ui.colored_label(color, view.state.label());
                ui.weak(view.mode.to_string());
            });
            if view.local.is_some() || view.peer.is_some() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!(
                        "local {}",
                        view.local
                            .as_ref()
                            .map_or_else(|| "(unbound)".to_string(), ToString::to_string)
                    ));
                    if let Some(peer) = &view.peer {
                        ui.label(format!("peer {peer}"));
                    } else if super::listens_for_the_network(view) {
                        ui.colored_label(
                            theme::warn_color(ui.visuals()),
                            theme::REACHABLE_FROM_NETWORK,
                        )
                        .on_hover_text(
                            "bound to every interface (or to one that is not loopback): other \
                             machines on the network can connect, unless a firewall stops them",
                        );
                    }
                });
            }
            // An open socket's card keeps a line for its pending calls: the cards below stay
            // where they are when one blocks.
            let slot = egui::Id::unique(("card pending", view.id.0));
            let least = if view.closed {
                0.0
            } else {
                super::line_height(ui)
            };
            super::steady_height(ui, slot, least, |ui| {
                if view.pending.is_empty() && !view.closed {
                    ui.weak("no call pending");
                }
                for pending in &view.pending {
                    ui.colored_label(
                        theme::pending_color(ui.visuals()),
                        egui::RichText::new(blocked_text(
                            &pending.call,
                            pending.started_us,
                            now_us,
                        ))
                        .strong(),
                    );
                }
            });
        });
    });
}
