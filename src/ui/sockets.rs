//! The sockets panel: create sockets, and one card per socket (accepted connections under
//! their listener) with its state, addresses and the call it is blocked in.

use super::calls::state_color;
use super::{Intent, blocked_text, theme};
use crate::engine::{Call, Family, SockType, SocketId};
use crate::session::{Session, SocketView, TreeRow};
use crate::t;
use std::collections::HashMap;

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
    let lang = super::lang(ui.ctx());
    ui.horizontal(|ui| {
        ui.heading(t!(lang, "toolbar-sockets"));
        let open = session.stats().sockets_open;
        if ui
            .add_enabled(open > 0, egui::Button::new(t!(lang, "sockets-close-all")))
            .on_hover_text(t!(lang, "sockets-close-all-tip"))
            .clicked()
        {
            intents.push(Intent::CloseAll);
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button(t!(lang, "sockets-new-tcp")).clicked() {
            intents.push(Intent::Create {
                family: Family::Ipv4,
                sock_type: SockType::Stream,
            });
        }
        if ui.button(t!(lang, "sockets-new-udp")).clicked() {
            intents.push(Intent::Create {
                family: Family::Ipv4,
                sock_type: SockType::Datagram,
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        for family in [Family::Ipv4, Family::Ipv6, Family::Unix] {
            ui.selectable_value(new_family, family, family.label(lang));
        }
        ui.separator();
        for sock_type in [SockType::Stream, SockType::Datagram] {
            let text = match sock_type {
                SockType::Stream => t!(lang, "sockets-stream"),
                SockType::Datagram => t!(lang, "sockets-datagram"),
            };
            ui.selectable_value(new_type, sock_type, text);
        }
        let text = t!(
            lang,
            "sockets-new",
            family = new_family.label(lang),
            kind = new_type.label(lang, *new_family)
        );
        if ui.button(text).clicked() {
            intents.push(Intent::Create {
                family: *new_family,
                sock_type: *new_type,
            });
        }
    });
    ui.separator();

    let forgotten = session.forgotten_sockets();
    if forgotten > 0 {
        ui.weak(t!(
            lang,
            "sockets-forgotten",
            count = forgotten,
            kept = session.limits().max_closed_sockets
        ))
        .on_hover_text(t!(lang, "sockets-forgotten-explained"));
    }
    egui::ScrollArea::vertical()
        .id_salt("sockets_scroll")
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let tree = session.tree_order();
            if tree.is_empty() {
                ui.weak(t!(lang, "sockets-none-yet"));
                return;
            }
            // Open sockets first, in their tree; closed ones folded away below, newest first.
            let fold_id = ui.make_persistent_id("closed_sockets_fold");
            let fold_open: bool = ui.data_mut(|data| *data.get_persisted_mut_or(fold_id, false));
            let (closed, open): (Vec<TreeRow>, Vec<TreeRow>) =
                tree.iter().partition(|row| row.closed);
            let mut rows: Vec<Row> = open
                .into_iter()
                .map(|row| Row::Card(row.id, row.depth))
                .collect();
            if !closed.is_empty() {
                rows.push(Row::ClosedFold(closed.len()));
                if fold_open {
                    let mut closed: Vec<SocketId> = closed.into_iter().map(|row| row.id).collect();
                    closed.sort_by_key(|id| std::cmp::Reverse(*id));
                    rows.extend(closed.into_iter().map(|id| Row::Card(id, 0)));
                }
            }
            // Thousands of connections: only the cards near the view are laid out; the others
            // take the height they last had (or the last card's), undrawn.
            let visible = viewport.expand2(egui::vec2(0.0, viewport.height()));
            let spacing = ui.spacing().item_spacing.y;
            let estimate_id = ui.scope_id().with("socket_card_estimate");
            let mut estimate: f32 = ui.data(|data| data.get_temp(estimate_id)).unwrap_or(90.0);
            // Each card's height when last drawn, in one map that forgets the sockets the
            // session forgot (a key per socket in egui's memory would stay for ever).
            let heights_id = ui.scope_id().with("socket_card_heights");
            let mut heights: CardHeights =
                ui.data_mut(|data| std::mem::take(data.get_temp_mut_or_default(heights_id)));
            if heights.0.len() > 2 * session.sockets_kept() + 64 {
                heights.0.retain(|id, _| session.socket(*id).is_some());
                heights.0.shrink_to_fit();
            }
            let mut y = 0.0;
            let mut gap = 0.0;
            for row in rows {
                let (id, depth) = match row {
                    Row::Card(id, depth) => (id, depth),
                    Row::ClosedFold(count) => {
                        if gap > 0.0 {
                            ui.allocate_space(egui::vec2(ui.available_width(), gap - spacing));
                            gap = 0.0;
                        }
                        let text = if fold_open {
                            t!(lang, "sockets-closed-earlier-hide", count = count)
                        } else {
                            t!(lang, "sockets-closed-earlier-show", count = count)
                        };
                        let header = ui
                            .add(egui::Button::new(egui::RichText::new(text).strong()).frame(false))
                            .on_hover_text(t!(lang, "sockets-closed-earlier-tip"));
                        if header.clicked() {
                            ui.data_mut(|data| data.insert_persisted(fold_id, !fold_open));
                        }
                        y += header.rect.height() + spacing;
                        continue;
                    }
                };
                let height = heights.0.get(&id).copied().unwrap_or(estimate);
                // Only the cards in view are looked up in the session, and drawn.
                let in_view = y + height >= visible.top() && y <= visible.bottom();
                let Some(view) = in_view.then(|| session.socket(id)).flatten() else {
                    y += height + spacing;
                    gap += height + spacing;
                    continue;
                };
                if gap > 0.0 {
                    ui.allocate_space(egui::vec2(ui.available_width(), gap - spacing));
                    gap = 0.0;
                }
                let drawn = ui.scope(|ui| {
                    ui.horizontal_top(|ui| {
                        ui.add_space(CHILD_INDENT * depth as f32);
                        ui.vertical(|ui| {
                            socket_card_ui(
                                ui,
                                session,
                                view,
                                selected == Some(view.id),
                                shown.values().any(|id| *id == view.id),
                                now_us,
                                intents,
                            );
                        });
                    });
                });
                let drawn_height = drawn.response.rect.height();
                heights.0.insert(view.id, drawn_height);
                estimate = drawn_height;
                y += drawn_height + spacing;
            }
            if gap > 0.0 {
                ui.allocate_space(egui::vec2(ui.available_width(), gap - spacing));
            }
            ui.data_mut(|data| {
                data.insert_temp(estimate_id, estimate);
                data.insert_temp(heights_id, heights);
            });
        });
}

/// The sockets panel's card heights, by socket.
#[derive(Clone, Default)]
struct CardHeights(std::collections::HashMap<SocketId, f32>);

/// One line of the sockets list.
enum Row {
    /// A socket's card, indented by its depth under its listener.
    Card(SocketId, usize),
    /// The header of the closed sockets (how many), which opens and closes their list.
    ClosedFold(usize),
}

/// Left indent of an accepted connection's card under its listener.
const CHILD_INDENT: f32 = 18.0;

fn socket_card_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    is_selected: bool,
    is_shown: bool,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    ui.push_id(("socket_card", view.id.0), |ui| {
        // A click anywhere on the card (but on its buttons) selects it.
        let card = ui.scope_builder(egui::UiBuilder::new().sense(egui::Sense::click()), |ui| {
            card_contents_ui(ui, session, view, is_selected, is_shown, now_us, intents);
        });
        if card.response.clicked() {
            intents.push(Intent::Select(view.id));
        }
    });
}

fn card_contents_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    is_selected: bool,
    is_shown: bool,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    let lang = super::lang(ui.ctx());
    {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(is_selected, &view.name)
                    .on_hover_text(t!(lang, "sockets-select-tip"))
                    .clicked()
                {
                    intents.push(Intent::Select(view.id));
                }
                ui.weak(format!(
                    "{} {}",
                    view.family.label(lang),
                    view.sock_type.label(lang, view.family)
                ));
                if ui
                    .small_button(t!(lang, "sockets-beside"))
                    .on_hover_text(if is_shown {
                        t!(lang, "sockets-beside-shown-tip")
                    } else {
                        t!(lang, "sockets-beside-tip")
                    })
                    .clicked()
                {
                    intents.push(Intent::OpenBeside(view.id));
                }
                let closable = !view.closed;
                if ui
                    .add_enabled(closable, egui::Button::new(t!(lang, "sockets-close")))
                    .on_hover_text(t!(lang, "sockets-close-tip", name = view.name.as_str()))
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
                ui.colored_label(color, view.state.label(lang));
                ui.weak(view.mode.label(lang));
            });
            if view.local.is_some() || view.peer.is_some() {
                ui.horizontal_wrapped(|ui| {
                    let local = view
                        .local
                        .as_ref()
                        .map_or_else(|| t!(lang, "sockets-unbound"), ToString::to_string);
                    ui.label(t!(lang, "calls-local", address = local));
                    if let Some(peer) = &view.peer {
                        ui.label(t!(lang, "calls-peer", address = peer.to_string()));
                    } else if super::listens_for_the_network(view) {
                        ui.colored_label(
                            theme::warn_color(ui.visuals()),
                            t!(lang, "address-reachable-from-network"),
                        )
                        .on_hover_text(t!(lang, "sockets-reachable-tip"));
                    }
                });
            }
            if !view.children.is_empty() {
                let open = view
                    .children
                    .iter()
                    .filter_map(|id| session.socket(*id))
                    .filter(|child| !child.closed)
                    .count();
                ui.weak(t!(
                    lang,
                    "sockets-children",
                    count = view.children.len(),
                    open = open
                ));
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
                    ui.weak(t!(lang, "sockets-no-call-pending"));
                }
                for pending in &view.pending {
                    ui.colored_label(
                        theme::pending_color(ui.visuals()),
                        egui::RichText::new(blocked_text(
                            lang,
                            &pending.call,
                            pending.started_us,
                            now_us,
                        ))
                        .strong(),
                    );
                }
            });
        });
    }
}
