//! The inspectors: what the window keeps for each socket ([`SocketForms`]), which socket each
//! inspector tile shows ([`Inspectors`]), and the drawing of the tiles ([`InspectorTiles`]):
//! one socket's inspector, a view of all sockets, or the first screen.

use super::{
    CallForm, Composer, DataIntent, Intent, Pane, ReceivedView, ViewKind, Views, calls, settings,
    stable_scope, start, wire_view,
};
use crate::engine::{CallKind, Responder, SocketId};
use crate::i18n::Lang;
use crate::session::{Session, SocketView};
use crate::t;
use settings::SettingsForm;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Everything the window keeps for one socket besides what the session knows.
pub(super) struct SocketForms {
    pub(super) calls: CallForm,
    pub(super) settings: SettingsForm,
    pub(super) composer: Composer,
    pub(super) received: ReceivedView,
}

impl SocketForms {
    fn new(view: &SocketView) -> Self {
        SocketForms {
            calls: CallForm::new(view),
            settings: SettingsForm::new(view),
            composer: Composer::new(view.family, view.sock_type),
            received: ReceivedView::new(),
        }
    }
}

/// The inspectors' state: which socket is selected, which socket each inspector slot shows,
/// and the forms of every socket. The tiles themselves are in the remembered layout.
pub(super) struct Inspectors {
    pub(super) selected: Option<SocketId>,
    pub(super) forms: HashMap<SocketId, SocketForms>,
    /// Which socket each inspector slot shows.
    pub(super) shown: HashMap<u64, SocketId>,
    /// The inspector a newly selected socket goes to.
    pub(super) focused_slot: u64,
    /// The inspectors were put in tabs for want of room ([`Inspectors::fit_to_width`]).
    tabbed_for_room: bool,
}

/// An inspector shorter than this (points) scrolls as a whole: its header, composer and
/// received view are not kept fixed (they would cover each other).
const ROOM_FOR_FIXED_PARTS: f32 = 440.0;

/// The least room (points) the fixed parts must leave the calls between them; with less, the
/// inspector scrolls as a whole from the next frame.
const MIN_MIDDLE_HEIGHT: f32 = 90.0;

/// In a pane shorter than this (points) even the header scrolls with the rest: kept fixed, it
/// would leave too little below it.
const MIN_HEIGHT_FOR_FIXED_HEADER: f32 = 200.0;

/// No recv was made and nothing arrived: the received view takes one line.
fn nothing_received(view: &SocketView) -> bool {
    view.chunks.is_empty() && view.counters.bytes_in == 0 && view.counters.recv_calls == 0
}

/// Inspectors side by side are never narrower than this (points); below it they become tabs.
const MIN_INSPECTOR_WIDTH: f32 = 380.0;

impl Inspectors {
    /// No socket shown yet; new sockets go to the first inspector of `layout`.
    pub(super) fn new(layout: &egui_tiles::Tree<Pane>) -> Self {
        Inspectors {
            selected: None,
            forms: HashMap::new(),
            shown: HashMap::new(),
            focused_slot: first_slot(layout),
            tabbed_for_room: false,
        }
    }

    /// Inspectors side by side while each gets [`MIN_INSPECTOR_WIDTH`], else in tabs (one at a
    /// time, the whole width: never a sliver wrapping a letter a line); side by side again
    /// once there is room. Tabs a person chose are left alone.
    pub(super) fn fit_to_width(&mut self, layout: &mut egui_tiles::Tree<Pane>, width: f32) {
        let Some(first) = panes_in_order(layout)
            .first()
            .and_then(|slot| layout.tiles.find_pane(&Pane::Inspector { slot: *slot }))
        else {
            return;
        };
        let Some(parent) = layout.tiles.parent_of(first) else {
            return;
        };
        let Some(egui_tiles::Tile::Container(container)) = layout.tiles.get(parent) else {
            return;
        };
        let count = container.children().count().max(1) as f32;
        let kind = container.kind();
        let each = width / count;
        let wanted = match kind {
            egui_tiles::ContainerKind::Horizontal if each < MIN_INSPECTOR_WIDTH => {
                egui_tiles::ContainerKind::Tabs
            }
            egui_tiles::ContainerKind::Tabs
                if self.tabbed_for_room && each >= MIN_INSPECTOR_WIDTH * 1.1 =>
            {
                egui_tiles::ContainerKind::Horizontal
            }
            _ => return,
        };
        self.tabbed_for_room = wanted == egui_tiles::ContainerKind::Tabs;
        // The inspector a person works in stays the one shown.
        let focused = layout.tiles.find_pane(&Pane::Inspector {
            slot: self.focused_slot,
        });
        if let Some(egui_tiles::Tile::Container(container)) = layout.tiles.get_mut(parent) {
            container.set_kind(wanted);
            if let egui_tiles::Container::Tabs(tabs) = container
                && let Some(focused) = focused
                && tabs.children.contains(&focused)
            {
                tabs.set_active(focused);
            }
        }
    }

    /// The sockets shown in inspectors, left to right.
    pub(super) fn shown_sockets(&self, layout: &egui_tiles::Tree<Pane>) -> Vec<SocketId> {
        panes_in_order(layout)
            .into_iter()
            .filter_map(|slot| self.shown.get(&slot).copied())
            .collect()
    }

    /// Shows the socket in the focused inspector (or where it is already shown).
    pub(super) fn select(&mut self, layout: &egui_tiles::Tree<Pane>, socket: SocketId) {
        self.selected = Some(socket);
        if self.shown.values().any(|shown| *shown == socket) {
            return;
        }
        if !panes_in_order(layout).contains(&self.focused_slot) {
            self.focused_slot = first_slot(layout);
        }
        self.shown.insert(self.focused_slot, socket);
    }

    /// Shows the socket in a new inspector beside the others (its slot is `next_slot`, which
    /// moves on).
    pub(super) fn open_beside(
        &mut self,
        tree: &mut egui_tiles::Tree<Pane>,
        next_slot: &mut u64,
        socket: SocketId,
    ) {
        let slot = *next_slot;
        *next_slot += 1;
        let pane = tree.tiles.insert_pane(Pane::Inspector { slot });
        // Beside the last inspector, in its row: the views below keep the full width.
        let last_inspector = panes_in_order(tree)
            .last()
            .and_then(|slot| tree.tiles.find_pane(&Pane::Inspector { slot: *slot }));
        match last_inspector {
            None => match tree.root() {
                None => tree.root = Some(pane),
                Some(root) => {
                    let row = tree.tiles.insert_horizontal_tile(vec![pane, root]);
                    tree.root = Some(row);
                }
            },
            Some(inspector) => match tree.tiles.parent_of(inspector) {
                Some(parent)
                    if matches!(
                        tree.tiles.get(parent),
                        Some(egui_tiles::Tile::Container(egui_tiles::Container::Linear(linear)))
                            if linear.dir == egui_tiles::LinearDir::Horizontal
                    ) =>
                {
                    if let Some(egui_tiles::Tile::Container(container)) = tree.tiles.get_mut(parent)
                    {
                        container.add_child(pane);
                    }
                }
                Some(parent) => {
                    let row = tree.tiles.insert_horizontal_tile(vec![inspector, pane]);
                    if let Some(egui_tiles::Tile::Container(container)) = tree.tiles.get_mut(parent)
                    {
                        let _ = container.replace_child(inspector, row);
                    }
                }
                None => {
                    let row = tree.tiles.insert_horizontal_tile(vec![inspector, pane]);
                    tree.root = Some(row);
                }
            },
        }
        self.shown.insert(slot, socket);
        self.focused_slot = slot;
        self.selected = Some(socket);
    }

    /// Shows these sockets in the inspectors, left to right, adding inspectors as needed.
    pub(super) fn arrange(
        &mut self,
        tree: &mut egui_tiles::Tree<Pane>,
        next_slot: &mut u64,
        sockets: &[SocketId],
    ) {
        let slots = panes_in_order(tree);
        for (index, socket) in sockets.iter().enumerate() {
            match slots.get(index) {
                Some(slot) => {
                    self.shown.insert(*slot, *socket);
                }
                None => self.open_beside(tree, next_slot, *socket),
            }
        }
        self.selected = sockets.first().copied();
        self.focused_slot = first_slot(tree);
    }

    /// Forgets slots whose tiles were closed.
    pub(super) fn forget_closed_slots(&mut self, layout: &egui_tiles::Tree<Pane>) {
        let live_slots = panes_in_order(layout);
        self.shown.retain(|slot, _| live_slots.contains(slot));
    }

    /// The forms of a socket, made when first asked for.
    pub(super) fn forms_of(&mut self, view: &SocketView) -> &mut SocketForms {
        self.forms
            .entry(view.id)
            .or_insert_with(|| SocketForms::new(view))
    }

    /// Send repeats run whether or not their composer is on screen: the calls due now go to
    /// `intents` (a repeat of a saved message expands it from `saved`). Returns when the next
    /// repeat is due, if one is. Why a repeat ended is worded in `lang`.
    pub(super) fn tick_composers(
        &mut self,
        session: &Session,
        now: Instant,
        lang: Lang,
        saved: &mut super::messages::SavedMessages,
        intents: &mut Vec<Intent>,
    ) -> Option<Duration> {
        let mut next_due: Option<Duration> = None;
        for (socket, forms) in &mut self.forms {
            let Some(view) = session.socket(*socket) else {
                continue;
            };
            for call in forms.composer.tick_with(view, now, lang, Some(&mut *saved)) {
                intents.push(Intent::Call {
                    socket: *socket,
                    call,
                });
            }
            if let Some(due) = forms.composer.next_due(now) {
                next_due = Some(next_due.map_or(due, |current: Duration| current.min(due)));
            }
        }
        next_due
    }
}

pub(super) fn panes_in_order(tree: &egui_tiles::Tree<Pane>) -> Vec<u64> {
    let mut slots = Vec::new();
    if let Some(root) = tree.root() {
        collect_panes(tree, root, &mut slots);
    }
    slots
}

fn collect_panes(tree: &egui_tiles::Tree<Pane>, tile: egui_tiles::TileId, slots: &mut Vec<u64>) {
    match tree.tiles.get(tile) {
        Some(egui_tiles::Tile::Pane(Pane::Inspector { slot })) => slots.push(*slot),
        Some(egui_tiles::Tile::Pane(Pane::View(_))) => {}
        Some(egui_tiles::Tile::Container(container)) => {
            for child in container.children() {
                collect_panes(tree, *child, slots);
            }
        }
        None => {}
    }
}

pub(super) fn first_slot(tree: &egui_tiles::Tree<Pane>) -> u64 {
    panes_in_order(tree).first().copied().unwrap_or(0)
}

/// Draws the inspectors inside the tiles.
pub(super) struct InspectorTiles<'a> {
    session: &'a Session,
    views: &'a mut Views,
    our_addresses: &'a std::collections::HashSet<crate::engine::SocketAddress>,
    /// Sockets whose Kernel section is open this frame (their snapshots are refreshed).
    pub(super) kernel_visible: Vec<SocketId>,
    forms: &'a mut HashMap<SocketId, SocketForms>,
    shown: &'a HashMap<u64, SocketId>,
    focused_slot: &'a mut u64,
    pub(super) pane_count: usize,
    now_us: u64,
    now: Instant,
    pub(super) intents: Vec<Intent>,
    /// While no socket is open and no script is loaded: the first screen's parts.
    pub(super) start: Option<StartParts<'a>>,
    /// The saved messages (not on the presenter stage).
    pub(super) saved: Option<&'a mut super::messages::SavedMessages>,
    /// The socket a saved message's Send goes to.
    selected: Option<SocketId>,
    lang: Lang,
}

/// What the first screen shows and edits.
pub(super) struct StartParts<'a> {
    pub(super) form: &'a mut start::StartForm,
    pub(super) lessons: &'a [crate::lessons::Lesson],
    pub(super) recent: &'a [start::RecentScript],
}

impl<'a> InspectorTiles<'a> {
    /// Drawing inspectors: in the tiles (the caller sets `pane_count` and `start`) or beside
    /// the presenter stage.
    pub(super) fn for_inspector(
        session: &'a Session,
        views: &'a mut Views,
        inspectors: &'a mut Inspectors,
        now_us: u64,
        now: Instant,
        lang: Lang,
    ) -> Self {
        InspectorTiles {
            session,
            views,
            our_addresses: session.addresses_seen(),
            kernel_visible: Vec::new(),
            selected: inspectors.selected,
            saved: None,
            forms: &mut inspectors.forms,
            shown: &inspectors.shown,
            focused_slot: &mut inspectors.focused_slot,
            pane_count: 1,
            now_us,
            now,
            intents: Vec::new(),
            start: None,
            lang,
        }
    }

    /// One socket's inspector (in a tile, or beside the presenter stage), built around the
    /// next action: the header (who it is, its state, the pending call, the latest result)
    /// stays on top; the composer stays at the bottom with what was received just above it
    /// (one line while nothing was); the calls, kernel, options and automation scroll between.
    pub(super) fn inspector_ui(&mut self, ui: &mut egui::Ui, slot: u64, view: &'a SocketView) {
        self.forms
            .entry(view.id)
            .or_insert_with(|| SocketForms::new(view));
        stable_scope(ui, ("inspector", slot), |ui| {
            let pane_height = ui.available_height();
            // The tallest pane in which the fixed parts left the calls too little room (they
            // are as tall as their contents: a long header, a big composer).
            let cramped_id = egui::Id::unique(("inspector cramped", slot));
            let cramped_below: f32 = ui.data(|data| data.get_temp(cramped_id)).unwrap_or(0.0);
            let short = pane_height < ROOM_FOR_FIXED_PARTS || pane_height <= cramped_below;
            if pane_height >= MIN_HEIGHT_FOR_FIXED_HEADER {
                egui::Panel::top(("inspector_header", slot)).show(ui, |ui| {
                    // Each part has its own fixed id scope: the header grows a line while a
                    // call is pending, and widgets below must keep their ids (a click or the
                    // typing focus would be lost when ids shift between two frames).
                    stable_scope(ui, ("header", slot), |ui| self.header_part(ui, view));
                });
            }
            if short {
                // Too short to keep the composer and received view fixed as well without
                // covering each other: one scroll under the header, the composer first.
                egui::ScrollArea::vertical()
                    .id_salt(("inspector_scroll", slot))
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if pane_height < MIN_HEIGHT_FOR_FIXED_HEADER {
                            stable_scope(ui, ("header", slot), |ui| self.header_part(ui, view));
                            ui.separator();
                        }
                        stable_scope(ui, ("send", slot), |ui| self.composer_part(ui, view));
                        ui.separator();
                        if nothing_received(view) {
                            ui.weak(t!(self.lang, "inspector-nothing-received"));
                        } else {
                            egui::ScrollArea::vertical()
                                .id_salt(("received_scroll", slot))
                                .max_height(pane_height * 0.6)
                                .show(ui, |ui| self.received_body(ui, slot, view));
                        }
                        ui.separator();
                        self.sections_part(ui, slot, view);
                    });
                return;
            }
            egui::Panel::bottom(("inspector_composer", slot)).show(ui, |ui| {
                // As tall as the composer is (its panel grows to it), up to 35 % of the pane.
                egui::ScrollArea::vertical()
                    .id_salt(("composer_scroll", slot))
                    .max_height(pane_height * 0.35)
                    .min_scrolled_height(pane_height * 0.35)
                    .show(ui, |ui| {
                        stable_scope(ui, ("send", slot), |ui| self.composer_part(ui, view));
                    });
            });
            self.received_part(ui, slot, view, pane_height);
            if ui.available_height() < MIN_MIDDLE_HEIGHT {
                ui.data_mut(|data| data.insert_temp(cramped_id, pane_height));
            }
            egui::ScrollArea::vertical()
                .id_salt(("inspector_scroll", slot))
                .auto_shrink([false, false])
                .show(ui, |ui| self.sections_part(ui, slot, view));
        });
    }

    fn header_part(&mut self, ui: &mut egui::Ui, view: &SocketView) {
        let Some(forms) = self.forms.get_mut(&view.id) else {
            return;
        };
        calls::header_ui(
            ui,
            self.session,
            view,
            &mut forms.calls,
            self.now_us,
            &mut self.intents,
        );
    }

    /// What to send, the send buttons, and what the sends did.
    fn composer_part(&mut self, ui: &mut egui::Ui, view: &SocketView) {
        let Some(forms) = self.forms.get_mut(&view.id) else {
            return;
        };
        ui.strong(t!(self.lang, "inspector-send"));
        let destinations = calls::destinations(self.session, view);
        for call in forms.composer.compose_ui(ui, view, &destinations, self.now) {
            self.intents.push(Intent::Call {
                socket: view.id,
                call,
            });
        }
        if let Some(saved) = self.saved.as_deref_mut() {
            saved.strip_ui(ui, view, Some(&forms.composer), &mut self.intents);
        }
        // What the last send, sendall or sendto did, under the buttons.
        calls::latest_of_ui(
            ui,
            self.session,
            view,
            &[CallKind::Send, CallKind::SendAll, CallKind::SendTo],
            self.now_us,
        );
    }

    /// What the socket received: one line while nothing was, else a resizable pane.
    fn received_part(&mut self, ui: &mut egui::Ui, slot: u64, view: &SocketView, height: f32) {
        if nothing_received(view) {
            egui::Panel::bottom(("received_empty", slot))
                .resizable(false)
                .show(ui, |ui| {
                    ui.weak(t!(self.lang, "inspector-nothing-received"));
                });
            return;
        }
        egui::Panel::bottom(("received_panel", slot))
            .resizable(true)
            .default_size(height * 0.25)
            .min_size(60.0_f32.min(height * 0.15))
            .max_size(height * 0.3)
            .show(ui, |ui| {
                // Clipped to the panel: in a short pane the received view scrolls instead of
                // spilling over the inspector above it.
                egui::ScrollArea::vertical()
                    .id_salt(("received_scroll", slot))
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.received_body(ui, slot, view));
            });
    }

    /// The received view itself (its chunks, text and hex, search, save).
    fn received_body(&mut self, ui: &mut egui::Ui, slot: u64, view: &SocketView) {
        let Some(forms) = self.forms.get_mut(&view.id) else {
            return;
        };
        stable_scope(ui, ("received", slot), |ui| {
            if let Some(DataIntent::Clear(socket)) = forms.received.ui(ui, self.session, view.id) {
                self.intents.push(Intent::ClearReceived(socket));
            }
        });
    }

    /// Calls, kernel, repeat and history, mode and options, automation.
    fn sections_part(&mut self, ui: &mut egui::Ui, slot: u64, view: &SocketView) {
        let Some(forms) = self.forms.get_mut(&view.id) else {
            return;
        };
        stable_scope(ui, ("calls", slot), |ui| {
            egui::CollapsingHeader::new(t!(self.lang, "stage-calls-title"))
                .id_salt(("calls", slot))
                .default_open(true)
                .show(ui, |ui| {
                    calls::calls_ui(
                        ui,
                        self.session,
                        view,
                        &mut forms.calls,
                        self.now_us,
                        &mut self.intents,
                    );
                });
        });
        stable_scope(ui, ("kernel", slot), |ui| {
            egui::CollapsingHeader::new(t!(self.lang, "inspector-kernel"))
                .id_salt(("kernel", slot))
                .default_open(true)
                .show(ui, |ui| {
                    self.kernel_visible.push(view.id);
                    settings::kernel_ui(ui, view, self.now_us, &mut self.intents);
                });
        });
        stable_scope(ui, ("send more", slot), |ui| {
            egui::CollapsingHeader::new(t!(self.lang, "inspector-repeat-history"))
                .id_salt(("send more", slot))
                .show(ui, |ui| {
                    let saved = self.saved.as_deref_mut();
                    for call in forms.composer.more_ui_with(ui, view, self.now, saved) {
                        self.intents.push(Intent::Call {
                            socket: view.id,
                            call,
                        });
                    }
                });
        });
        stable_scope(ui, ("options", slot), |ui| {
            egui::CollapsingHeader::new(t!(self.lang, "inspector-name-mode-options"))
                .id_salt(("options", slot))
                .show(ui, |ui| {
                    calls::rename_ui(ui, view, &mut forms.calls, &mut self.intents);
                    ui.separator();
                    settings::mode_ui(ui, view, &mut forms.settings, &mut self.intents);
                    ui.separator();
                    settings::options_ui(ui, view, &mut forms.settings, &mut self.intents);
                });
        });
        stable_scope(ui, ("automation", slot), |ui| {
            egui::CollapsingHeader::new(t!(self.lang, "inspector-automatic"))
                .id_salt(("automation", slot))
                .show(ui, |ui| {
                    let rules = self
                        .saved
                        .as_deref()
                        .map(|saved| saved.compile_rules(self.lang));
                    settings::automation_ui(
                        ui,
                        view,
                        &mut forms.settings,
                        rules.as_ref(),
                        &mut self.intents,
                    );
                });
        });
    }

    /// One of the views of all sockets, in its tile.
    fn view_pane_ui(&mut self, ui: &mut egui::Ui, kind: ViewKind) {
        ui.push_id(("view", kind), |ui| match kind {
            ViewKind::Timeline => self.views.timeline.ui(ui, self.session, self.now_us),
            ViewKind::Calls => self.views.calls.ui(ui, self.session),
            ViewKind::SystemSockets => self.views.system.ui(ui, self.our_addresses),
            ViewKind::Throughput => self.views.throughput.ui(ui, self.session, self.now_us),
            ViewKind::Python => self.views.python.ui(ui, self.session),
            ViewKind::Messages => {
                let Some(saved) = self.saved.as_deref_mut() else {
                    return;
                };
                let view = self.selected.and_then(|id| self.session.socket(id));
                let composer = self
                    .selected
                    .and_then(|id| self.forms.get(&id))
                    .map(|forms| &forms.composer);
                if saved.view_ui(ui, view, composer, &mut self.intents) {
                    // Apply: every socket answering by rules takes the rules as they are now.
                    if let Ok(rules) = saved.compile_rules(self.lang) {
                        for view in self.session.sockets().filter(|view| {
                            !view.closed
                                && matches!(view.automation.responder, Some(Responder::Rules(_)))
                        }) {
                            let mut automation = view.automation.clone();
                            automation.responder = Some(Responder::Rules(Arc::clone(&rules)));
                            self.intents.push(Intent::Automate {
                                socket: view.id,
                                automation,
                            });
                        }
                    }
                }
            }
            ViewKind::Wire => {
                let action = self.views.wire.ui(ui, self.session);
                self.intents.push(match action {
                    None => return,
                    Some(wire_view::WireAction::Capture(on)) => Intent::SetWire(on),
                    Some(wire_view::WireAction::UsePrivateNetwork) => Intent::UsePrivateNetwork,
                    Some(wire_view::WireAction::LeavePrivateNetwork) => Intent::LeavePrivateNetwork,
                });
            }
        });
    }
}

/// An inspector that shows no socket (while sockets are open elsewhere).
fn empty_inspector_ui(ui: &mut egui::Ui, lang: Lang) {
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.heading(t!(lang, "app-name"));
        ui.label(t!(lang, "inspector-empty-create"));
        ui.label(t!(lang, "inspector-empty-select"));
    });
}

impl egui_tiles::Behavior<Pane> for InspectorTiles<'_> {
    fn tab_title_for_pane(&mut self, pane: &Pane) -> egui::WidgetText {
        match pane {
            Pane::View(kind) => kind.title(self.lang).into(),
            Pane::Inspector { slot } => {
                match self.shown.get(slot).and_then(|id| self.session.socket(*id)) {
                    Some(view) => view.name.clone().into(),
                    None => t!(self.lang, "inspector-title").into(),
                }
            }
        }
    }

    fn is_tab_closable(
        &self,
        tiles: &egui_tiles::Tiles<Pane>,
        tile_id: egui_tiles::TileId,
    ) -> bool {
        match tiles.get_pane(&tile_id) {
            Some(Pane::View(_)) => true,
            _ => self.pane_count > 1,
        }
    }

    fn simplification_options(&self) -> egui_tiles::SimplificationOptions {
        egui_tiles::SimplificationOptions {
            all_panes_must_have_tabs: false,
            ..egui_tiles::SimplificationOptions::default()
        }
    }

    fn pane_ui(
        &mut self,
        ui: &mut egui::Ui,
        _tile_id: egui_tiles::TileId,
        pane: &mut Pane,
    ) -> egui_tiles::UiResponse {
        let slot = match pane {
            Pane::Inspector { slot } => *slot,
            Pane::View(kind) => {
                self.view_pane_ui(ui, *kind);
                return egui_tiles::UiResponse::None;
            }
        };
        if ui.ui_contains_pointer() && ui.input(|input| input.pointer.any_pressed()) {
            *self.focused_slot = slot;
        }
        let view = self
            .shown
            .get(&slot)
            .and_then(|id| self.session.socket(*id));
        // No socket open and no script: the first screen, in place of any closed socket (in
        // the first inspector drawn; the others show what they showed).
        if let Some(parts) = self.start.take() {
            start::start_page_ui(
                ui,
                parts.form,
                parts.lessons,
                parts.recent,
                &mut self.intents,
            );
            return egui_tiles::UiResponse::None;
        }

        let Some(view) = view else {
            empty_inspector_ui(ui, self.lang);
            return egui_tiles::UiResponse::None;
        };
        self.inspector_ui(ui, slot, view);
        egui_tiles::UiResponse::None
    }
}
