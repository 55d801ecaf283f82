//! The window: draws the [`Session`] and turns clicks into engine calls. Never blocks and never
//! touches a socket: every call goes through the [`Engine`] to the socket's own thread.
//!
//! Drawing collects [`Intent`]s; they are applied after the frame's drawing, so the drawing code
//! only reads the session. Inspectors live in tiles (egui_tiles), so two or more sockets can be
//! shown side by side; the layout and the appearance are remembered between runs.
//!
//! Here: the window's top ([`WorkbenchApp`], its frame, toolbar and status bar) and small
//! helpers the views share. The inspectors' state and drawing are in `inspector`; scripts,
//! lessons and presenting in `presenting` and `stage`.

//!
//! Public: [`WorkbenchApp`] and the views re-exported here (each can be drawn alone, as the
//! tests and benches do), and `theme` (appearance, fonts, colours).

pub(crate) mod call_export;
pub(crate) mod call_table;
mod calls;
pub(crate) mod code_view;
pub(crate) mod composer;
pub(crate) mod data;
mod focus;
mod inspector;
pub(crate) mod kernel_view;
mod messages;
mod presenting;
pub(crate) mod scenario;
mod settings;
mod sockets;
pub(crate) mod stage;
pub(crate) mod start;
pub(crate) mod system_table;
pub mod theme;
pub(crate) mod throughput;
pub(crate) mod timeline;
pub(crate) mod wire_view;
mod workspace;

use crate::core::Core;
use crate::engine::{Automation, Call, EngineError, Family, Origin, SockType, SocketId};
use crate::i18n::Lang;
use crate::session::Session;
use crate::t;
use inspector::{InspectorTiles, StartParts, first_slot, panes_in_order};
use scenario::ScenarioRun;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

pub use call_export::EXPORT_FRAME_BUDGET;
pub use call_table::{
    CallTable, Column, ExportFormat, ExportStatus, result_text as call_result_text,
};
pub use calls::{
    CallForm, Destinations, KERNEL_TOOLTIP, availability_in, parse_address_in, result_headline,
};
pub use code_view::CodeView;
pub use composer::Composer;
pub use data::{DataIntent, DisplayMode, ReceivedView};
pub use kernel_view::{
    NOT_AVAILABLE as KERNEL_NOT_AVAILABLE, REFRESH_INTERVAL_US, kernel_gauges_compact_ui,
    kernel_gauges_ui, wants_refresh,
};
pub use stage::{Stage, narration_text_size};
pub use start::QuickStart;
pub use system_table::SystemTableView;
pub use throughput::{BucketSize, ThroughputView};
pub use timeline::{MAX_DETAILED_CALLS, StageFocus, TimelineView};
pub use wire_view::{PcapStatus, WireView};

/// At most this many events are taken into the session per frame, so a flood cannot make one
/// frame long; the rest wait for the next frame (which is requested at once).
const EVENTS_PER_FRAME: usize = 50_000;

/// While a call is pending its elapsed time is shown; repaint this often to keep it live.
const LIVE_TIMER_REPAINT: Duration = Duration::from_millis(100);

const STORAGE_KEY: &str = "socket-workbench";

/// How often shown kernel gauges ask the kernel again.
const KERNEL_REFRESH: Duration = Duration::from_millis(250);

/// What a person asked for while the frame was drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    Create {
        family: Family,
        sock_type: SockType,
    },
    Call {
        socket: SocketId,
        call: Call,
    },
    Cancel(SocketId),
    Select(SocketId),
    /// Show the socket in a new inspector beside the others.
    OpenBeside(SocketId),
    Rename {
        socket: SocketId,
        name: String,
    },
    Automate {
        socket: SocketId,
        automation: Automation,
    },
    Snapshot(SocketId),
    ClearReceived(SocketId),
    CloseAll,
    /// Everything closed, the views cleared, the first screen (asked for after a confirm when
    /// sockets are open).
    NewSession,
    /// A quick start from the first screen.
    QuickStart(start::QuickStart),
    /// A built-in lesson, by its place in the list.
    OpenLesson(usize),
    /// A script opened lately, by its place in the list.
    OpenRecent(usize),
    /// Capture the wire (or stop).
    SetWire(bool),
    /// New sockets in a private network namespace, and capture there.
    UsePrivateNetwork,
    /// Back to the machine's network (the private capture stops).
    LeavePrivateNetwork,
}

/// One tile: an inspector (the socket it shows is runtime state, since sockets do not outlive
/// a run) or one of the views of all sockets. The tiles themselves are remembered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pane {
    Inspector { slot: u64 },
    View(ViewKind),
}

/// The views of all sockets, each in its own tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ViewKind {
    Timeline,
    Calls,
    SystemSockets,
    Throughput,
    Python,
    Wire,
    Messages,
}

impl ViewKind {
    pub const ALL: [ViewKind; 7] = [
        ViewKind::Timeline,
        ViewKind::Python,
        ViewKind::Calls,
        ViewKind::SystemSockets,
        ViewKind::Throughput,
        ViewKind::Wire,
        ViewKind::Messages,
    ];
    /// The view's name in a workspace file (`timeline`, `messages`).
    pub fn key(self) -> &'static str {
        match self {
            ViewKind::Timeline => "timeline",
            ViewKind::Calls => "calls",
            ViewKind::SystemSockets => "system",
            ViewKind::Throughput => "throughput",
            ViewKind::Python => "python",
            ViewKind::Wire => "wire",
            ViewKind::Messages => "messages",
        }
    }

    pub fn from_key(key: &str) -> Option<ViewKind> {
        ViewKind::ALL.into_iter().find(|kind| kind.key() == key)
    }

    pub fn title(self, lang: Lang) -> String {
        match self {
            ViewKind::Timeline => t!(lang, "view-timeline"),
            ViewKind::Calls => t!(lang, "view-calls"),
            ViewKind::SystemSockets => t!(lang, "view-system"),
            ViewKind::Throughput => t!(lang, "view-throughput"),
            ViewKind::Python => t!(lang, "view-python"),
            ViewKind::Wire => t!(lang, "view-wire"),
            ViewKind::Messages => t!(lang, "view-messages"),
        }
    }
    fn tooltip(self, lang: Lang) -> String {
        match self {
            ViewKind::Timeline => t!(lang, "view-timeline-tip"),
            ViewKind::Calls => t!(lang, "view-calls-tip"),
            ViewKind::SystemSockets => t!(lang, "view-system-tip"),
            ViewKind::Throughput => t!(lang, "view-throughput-tip"),
            ViewKind::Python => t!(lang, "view-python-tip"),
            ViewKind::Wire => t!(lang, "view-wire-tip"),
            ViewKind::Messages => t!(lang, "view-messages-tip"),
        }
    }
}

/// The state of the views of all sockets.
struct Views {
    timeline: timeline::TimelineView,
    calls: call_table::CallTable,
    system: system_table::SystemTableView,
    throughput: throughput::ThroughputView,
    python: code_view::CodeView,
    wire: wire_view::WireView,
}

impl Views {
    fn new() -> Views {
        Views {
            timeline: timeline::TimelineView::new(),
            calls: call_table::CallTable::new(),
            system: system_table::SystemTableView::new(),
            throughput: throughput::ThroughputView::new(),
            python: code_view::CodeView::new(),
            wire: wire_view::WireView::new(),
        }
    }
}

/// What is remembered between runs.
#[derive(Serialize, Deserialize)]
#[serde(default)]
struct Remembered {
    appearance: theme::Appearance,
    layout: egui_tiles::Tree<Pane>,
    next_slot: u64,
    /// Scripts opened lately, newest first (the first screen lists them).
    recent: Vec<start::RecentScript>,
    /// The language the window speaks (at first, the system locale's).
    language: Lang,
    /// Files this window saved, trusted when opened again unchanged.
    trusted_files: Vec<workspace::TrustedFile>,
    /// Open the last workspace at start.
    restore_last_workspace: bool,
    /// The workspace when the window last closed (a workspace file's text).
    last_workspace: Option<String>,
}

impl Default for Remembered {
    fn default() -> Self {
        Remembered {
            appearance: theme::Appearance::default(),
            layout: egui_tiles::Tree::new_horizontal(
                egui::Id::unique("inspectors"),
                vec![Pane::Inspector { slot: 0 }],
            ),
            next_slot: 1,
            recent: Vec::new(),
            language: Lang::from_environment(),
            trusted_files: Vec::new(),
            restore_last_workspace: true,
            last_workspace: None,
        }
    }
}

/// The Socket Workbench window.
pub struct WorkbenchApp {
    /// Engine + session: the only way to the sockets.
    core: Core,
    remembered: Remembered,
    /// What the inspectors show, and each socket's forms.
    inspectors: inspector::Inspectors,
    /// The sockets panel's choice for a new socket.
    new_family: Family,
    new_type: SockType,
    appearance_applied: Option<theme::Appearance>,
    /// Scripts, lessons and the presenter layout.
    presentation: presenting::Presentation,
    views: Views,
    last_kernel_refresh: Option<Instant>,
    /// The sockets panel can be hidden to give a projector's small screen to the inspectors.
    show_sockets: bool,
    start_form: start::StartForm,
    /// The latest error the engine gave outside any call (socket() failed, socket gone).
    notice: Option<String>,
    /// New session was asked for while sockets are open: the confirm is shown.
    confirm_new_session: bool,
    /// Saved messages, rules, the workspace's file and its dialogs.
    workspace: workspace::WorkspaceState,
}

impl WorkbenchApp {
    /// Starts the engine; its socket threads wake this context whenever they report.
    pub fn new(ctx: &egui::Context) -> Self {
        let repaint_ctx = ctx.clone();
        let core = Core::new(crate::session::Limits::default(), move || {
            repaint_ctx.request_repaint();
        });
        WorkbenchApp::with_core(ctx, core)
    }

    /// The window over a core made elsewhere (the whole-app bench feeds one with events).
    pub fn with_core(ctx: &egui::Context, core: Core) -> Self {
        theme::install_fonts(ctx);
        let remembered = Remembered::default();
        let inspectors = inspector::Inspectors::new(&remembered.layout);
        WorkbenchApp {
            core,
            remembered,
            inspectors,
            new_family: Family::Ipv4,
            new_type: SockType::Stream,
            appearance_applied: None,
            presentation: presenting::Presentation::new(),
            views: Views::new(),
            last_kernel_refresh: None,
            show_sockets: true,
            start_form: start::StartForm::default(),
            notice: None,
            confirm_new_session: false,
            workspace: workspace::WorkspaceState::default(),
        }
    }

    /// New session: every socket closed, the script ended, the views cleared, and the first
    /// screen back.
    pub fn new_session(&mut self) {
        self.presentation.scenario = None;
        self.presentation.arranged.clear();
        self.core.new_session();
        self.inspectors = inspector::Inspectors::new(&self.remembered.layout);
        self.views = Views::new();
        self.notice = None;
        self.confirm_new_session = false;
    }

    /// Asks before a new session closes open sockets.
    fn confirm_new_session_ui(&mut self, ui: &mut egui::Ui) {
        if !self.confirm_new_session {
            return;
        }
        let open = self.core.session().stats().sockets_open;
        let mut answer = None;
        let lang = self.remembered.language;
        egui::Modal::new(egui::Id::unique("confirm_new_session")).show(ui.ctx(), |ui| {
            ui.heading(t!(lang, "new-session-question"));
            ui.label(t!(lang, "new-session-explained", count = open));
            ui.horizontal(|ui| {
                if ui.button(t!(lang, "new-session-yes")).clicked() {
                    answer = Some(true);
                }
                if ui.button(t!(lang, "new-session-no")).clicked()
                    || ui.input(|input| input.key_pressed(egui::Key::Escape))
                {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => self.new_session(),
            Some(false) => self.confirm_new_session = false,
            None => {}
        }
    }

    /// Switches the window's language at once; the running script's text goes on in it too.
    pub fn set_language(&mut self, lang: Lang) {
        self.remembered.language = lang;
        if let Some(scenario) = self.presentation.scenario.as_mut() {
            scenario.set_language(lang);
        }
    }

    /// The window in `lang`, whatever the locale says (tests pin theirs with it).
    pub fn with_language(mut self, lang: Lang) -> Self {
        self.set_language(lang);
        self
    }

    pub fn language(&self) -> Lang {
        self.remembered.language
    }

    pub fn set_projector(&mut self, on: bool) {
        self.remembered.appearance.set_projector(on);
        self.appearance_applied = None;
    }

    /// The window's zoom, in percent (clamped to the mode's range, as Ctrl +/- would).
    pub fn set_zoom_percent(&mut self, percent: u32) {
        self.remembered.appearance.set_zoom_percent(percent);
        self.appearance_applied = None;
    }

    /// Like [`WorkbenchApp::new`], restoring the layout and appearance of the last run.
    pub fn restore(cc: &eframe::CreationContext<'_>) -> Self {
        let mut app = WorkbenchApp::new(&cc.egui_ctx);
        if let Some(remembered) = cc
            .storage
            .and_then(|storage| eframe::get_value::<Remembered>(storage, STORAGE_KEY))
            && remembered.layout.root().is_some()
        {
            app.inspectors.focused_slot = first_slot(&remembered.layout);
            app.remembered = remembered;
        }
        app
    }

    pub fn session(&self) -> &Session {
        self.core.session()
    }

    pub fn core_mut(&mut self) -> &mut Core {
        &mut self.core
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    /// Sorts the call table by `column` and builds its index at once, rather than a few ms per
    /// frame (for the whole-app bench, which measures frames after that).
    pub fn sort_call_table_now(&mut self, column: call_table::Column) {
        self.views.calls.sort_by(column);
        self.views.calls.catch_up(self.core.session());
    }

    /// The socket selected last (shown in the focused inspector).
    pub fn selected(&self) -> Option<SocketId> {
        self.inspectors.selected
    }

    /// The sockets shown in inspectors, left to right.
    pub fn shown_sockets(&self) -> Vec<SocketId> {
        self.inspectors.shown_sockets(&self.remembered.layout)
    }

    pub fn appearance(&self) -> &theme::Appearance {
        &self.remembered.appearance
    }

    /// The latest engine error shown in the status bar.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Takes waiting events into the session without blocking. True if some were left for the
    /// next frame.
    fn drain_events(&mut self) -> bool {
        let scenario = &mut self.presentation.scenario;
        self.core
            .apply_waiting(EVENTS_PER_FRAME, &mut |session, applied| {
                if let Some(scenario) = scenario.as_mut() {
                    scenario.observe(session, applied);
                }
            })
    }

    /// Performs what the person asked for.
    pub fn apply_intent(&mut self, intent: Intent) {
        match intent {
            Intent::Create { family, sock_type } => match self.core.create(family, sock_type) {
                Ok(id) => {
                    // The socket's Opened event is already queued; take it now so the
                    // inspector can show it at once.
                    self.drain_events();
                    self.inspectors.select(&self.remembered.layout, id);
                    self.notice = None;
                }
                Err(error) => {
                    let lang = self.remembered.language;
                    self.notice = Some(t!(lang, "notice-socket-failed", error = error.text(lang)));
                }
            },
            Intent::Call { socket, call } => {
                let name = call.name();
                let result = self.core.call(socket, call, Origin::User);
                self.report(socket, name.to_string(), result.map(|_| ()));
            }
            Intent::Cancel(socket) => {
                let result = self.core.cancel(socket);
                let what = t!(self.remembered.language, "notice-cancel");
                self.report(socket, what, result);
            }
            Intent::Select(socket) => self.inspectors.select(&self.remembered.layout, socket),
            Intent::OpenBeside(socket) => self.inspectors.open_beside(
                &mut self.remembered.layout,
                &mut self.remembered.next_slot,
                socket,
            ),
            Intent::Rename { socket, name } => {
                self.core.rename(socket, name);
            }
            Intent::Automate { socket, automation } => {
                let result = self.core.set_automation(socket, automation);
                let what = t!(self.remembered.language, "notice-automation");
                self.report(socket, what, result);
            }
            Intent::Snapshot(socket) => {
                let result = self.core.snapshot(socket);
                let what = t!(self.remembered.language, "notice-kernel-snapshot");
                self.report(socket, what, result);
            }
            Intent::ClearReceived(socket) => self.core.clear_chunks(socket),
            Intent::CloseAll => self.core.close_every_socket(),
            Intent::NewSession => {
                if self.core.session().stats().sockets_open > 0 {
                    self.confirm_new_session = true;
                } else {
                    self.new_session();
                }
            }
            Intent::SetWire(on) => self.core.set_wire(on),
            Intent::UsePrivateNetwork => match self.core.use_private_network() {
                Ok(()) => {
                    self.views.wire.set_private_network_error(None);
                    // The refused capture left nothing running; this one opens on the private
                    // loopback.
                    self.core.set_wire(true);
                }
                Err(why) => self.views.wire.set_private_network_error(Some(why)),
            },
            Intent::LeavePrivateNetwork => self.core.use_machine_network(),
            Intent::QuickStart(quick) => match quick.script() {
                Ok(script) => {
                    if self.presentation.scenario.is_some() {
                        self.restart_script(None);
                        self.presentation.scenario = None;
                    }
                    self.open_script(script);
                    // A quick start is for working, not presenting: the workbench, even in
                    // projector mode.
                    self.presentation.present = false;
                    if let Some(scenario) = self.presentation.scenario.as_mut() {
                        scenario.run_all();
                    }
                }
                Err(error) => {
                    self.notice = Some(format!(
                        "{}: {error}",
                        quick.title(self.remembered.language)
                    ))
                }
            },
            Intent::OpenLesson(index) => {
                if let Some(lesson) = self.presentation.lessons.get(index).cloned() {
                    self.open_lesson(&lesson);
                }
            }
            Intent::OpenRecent(index) => {
                if let Some(recent) = self.remembered.recent.get(index).cloned() {
                    let lesson = match self
                        .presentation
                        .lessons
                        .iter()
                        .find(|lesson| lesson.file_name == recent.file_name)
                    {
                        Some(lesson) => lesson.clone(),
                        None => crate::lessons::load_file(std::path::Path::new(&recent.file_name)),
                    };
                    self.open_lesson(&lesson);
                }
            }
        }
    }

    /// Says what failed (`what`: a call's name, or the action, worded) in the window's language.
    fn report(&mut self, socket: SocketId, what: String, result: Result<(), EngineError>) {
        if let Err(error) = result {
            let lang = self.remembered.language;
            let message = t!(
                lang,
                "notice-failed-on-socket",
                what = what,
                socket = socket.to_string(),
                error = error.text(lang)
            );
            if let Some(forms) = self.inspectors.forms.get_mut(&socket) {
                forms.calls.engine_error = Some(message.clone());
            }
            self.notice = Some(message);
        }
    }

    /// Whether a view's tile is open.
    pub fn view_open(&self, kind: ViewKind) -> bool {
        self.view_tile(kind).is_some()
    }

    fn view_tile(&self, kind: ViewKind) -> Option<egui_tiles::TileId> {
        self.remembered
            .layout
            .tiles
            .find_pane(&Pane::View(kind))
            .filter(|tile| self.remembered.layout.tiles.is_visible(*tile))
    }

    /// Opens a view's tile (below the inspectors, as a tab beside the other views) or closes it.
    pub fn toggle_view(&mut self, kind: ViewKind) {
        let tree = &mut self.remembered.layout;
        if let Some(tile) = tree.tiles.find_pane(&Pane::View(kind)) {
            tree.remove_recursively(tile);
            return;
        }
        let pane = tree.tiles.insert_pane(Pane::View(kind));
        // Another view's tab container, if there is one.
        let tabs = ViewKind::ALL
            .iter()
            .filter_map(|other| tree.tiles.find_pane(&Pane::View(*other)))
            .find_map(|tile| tree.tiles.parent_of(tile))
            .filter(|parent| {
                matches!(
                    tree.tiles.get(*parent),
                    Some(egui_tiles::Tile::Container(egui_tiles::Container::Tabs(_)))
                )
            });
        match (tabs, tree.root()) {
            (Some(tabs), _) => {
                if let Some(egui_tiles::Tile::Container(container)) = tree.tiles.get_mut(tabs) {
                    container.add_child(pane);
                    if let egui_tiles::Container::Tabs(tabs) = container {
                        tabs.set_active(pane);
                    }
                }
            }
            (None, Some(root)) => {
                let tabs = tree.tiles.insert_tab_tile(vec![pane]);
                let column = tree.tiles.insert_vertical_tile(vec![root, tabs]);
                tree.root = Some(column);
            }
            (None, None) => tree.root = Some(pane),
        }
    }

    /// One row at any size and zoom: what does not fit goes into menus (the views first,
    /// then the display settings), and a row still too wide scrolls sideways.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let level = toolbar_level(
            ui,
            self.remembered.language,
            self.presentation.scenario.is_some(),
        );
        egui::ScrollArea::horizontal()
            .id_salt("toolbar_scroll")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden)
            .show(ui, |ui| {
                ui.horizontal(|ui| self.toolbar_row_ui(ui, level));
            });
    }

    fn toolbar_row_ui(&mut self, ui: &mut egui::Ui, level: ToolbarLevel) {
        let lang = self.remembered.language;
        if level == ToolbarLevel::Full {
            ui.strong(t!(lang, "app-name"));
            ui.separator();
        }
        // Each in a scope of its own: whether the title above is shown (the toolbar's level
        // can change from one frame to the next) must not change these buttons' ids, or a
        // click that spans two frames is lost.
        let new_session = stable_scope(ui, "toolbar new session", |ui| {
            ui.button(t!(lang, "toolbar-new-session"))
                .on_hover_text(t!(lang, "toolbar-new-session-tip"))
                .clicked()
        });
        if new_session {
            self.apply_intent(Intent::NewSession);
        }
        stable_scope(ui, "toolbar workspace", |ui| self.workspace_menu_ui(ui));
        stable_scope(ui, "toolbar sockets", |ui| {
            ui.toggle_value(&mut self.show_sockets, t!(lang, "toolbar-sockets"))
                .on_hover_text(t!(lang, "toolbar-sockets-tip"));
        });
        stable_scope(ui, "toolbar lessons", |ui| {
            ui.toggle_value(
                &mut self.presentation.show_lessons,
                t!(lang, "toolbar-lessons"),
            )
            .on_hover_text(t!(lang, "toolbar-lessons-tip"));
        });
        ui.separator();
        if level == ToolbarLevel::Full {
            self.view_toggles_ui(ui);
        } else {
            ui.menu_button(t!(lang, "toolbar-views"), |ui| self.view_toggles_ui(ui))
                .response
                .on_hover_text(t!(lang, "toolbar-views-tip"));
        }
        ui.separator();
        if level == ToolbarLevel::Menus {
            ui.menu_button(t!(lang, "toolbar-display"), |ui| {
                if self.remembered.appearance.toolbar_ui(ui) {
                    self.appearance_applied = None;
                }
                ui.separator();
                self.language_ui(ui);
            })
            .response
            .on_hover_text(t!(lang, "toolbar-display-tip"));
        } else {
            if self.remembered.appearance.toolbar_ui(ui) {
                self.appearance_applied = None;
            }
            ui.separator();
            self.language_ui(ui);
        }
        if self.presentation.scenario.is_some() {
            ui.separator();
            ui.toggle_value(&mut self.presentation.present, t!(lang, "toolbar-present"))
                .on_hover_text(t!(lang, "toolbar-present-tip"));
        }
    }

    /// The language switch: each language by its own name, the one spoken now selected.
    fn language_ui(&mut self, ui: &mut egui::Ui) {
        for lang in Lang::ALL {
            let chosen = self.remembered.language == lang;
            if ui
                .selectable_label(chosen, lang.own_name())
                .on_hover_text(t!(lang, "toolbar-language-tip"))
                .clicked()
                && !chosen
            {
                self.set_language(lang);
            }
        }
    }

    fn view_toggles_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.remembered.language;
        for kind in ViewKind::ALL {
            let mut open = self.view_open(kind);
            if ui
                .toggle_value(&mut open, kind.title(lang))
                .on_hover_text(kind.tooltip(lang))
                .clicked()
            {
                self.toggle_view(kind);
            }
        }
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let stats = self.core.session().stats();
        let lang = self.remembered.language;
        ui.horizontal_wrapped(|ui| {
            ui.label(t!(
                lang,
                "status-counts",
                open = stats.sockets_open,
                bytes_in = bytes_text(stats.bytes_in),
                bytes_out = bytes_text(stats.bytes_out),
                pending = stats.calls_pending,
            ));
            if stats.dropped_log_entries > 0 || stats.dropped_bytes > 0 {
                ui.colored_label(
                    theme::warn_color(ui.visuals()),
                    t!(
                        lang,
                        "status-dropped",
                        entries = stats.dropped_log_entries,
                        bytes = bytes_text(stats.dropped_bytes),
                    ),
                );
            }
            if stats.forgotten_sockets > 0 {
                ui.weak(t!(
                    lang,
                    "status-forgotten",
                    count = stats.forgotten_sockets
                ))
                .on_hover_text(t!(lang, "sockets-forgotten-explained"));
            }
            if let Some(notice) = &self.notice {
                ui.colored_label(theme::error_color(ui.visuals()), notice);
            }
        });
    }
}

impl eframe::App for WorkbenchApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Also runs while the window is hidden, so events never pile up unread.
        if self.drain_events() {
            ctx.request_repaint();
        }
        if let Some(due) = self.core.tidy_due_in() {
            // Memory of connections that came and went goes back after a quiet second.
            ctx.request_repaint_after(due);
        }
        // The script goes on while the window is hidden, too.
        self.follow_scenario(ctx);
        // An export goes on while the table is hidden; a few ms per frame.
        if self
            .views
            .calls
            .advance_export(self.core.session(), call_export::EXPORT_FRAME_BUDGET)
        {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.remember_last_workspace();
        eframe::set_value(storage, STORAGE_KEY, &self.remembered);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        set_lang(ui.ctx(), self.remembered.language);
        if self.drain_events() {
            ui.ctx().request_repaint();
        }
        if self.remembered.appearance.handle_shortcuts(ui.ctx()) {
            self.appearance_applied = None;
        }
        if self.appearance_applied.as_ref() != Some(&self.remembered.appearance) {
            self.remembered.appearance.apply(ui.ctx());
            self.appearance_applied = Some(self.remembered.appearance.clone());
        }
        if self.presentation.presenter_keys(ui) {
            return;
        }
        let now_us = self.core.now_us();
        let now = Instant::now();
        let mut intents = Vec::new();
        let mut kernel_visible = Vec::new();
        self.confirm_reset_ui(ui);
        self.workspace_dialogs_ui(ui);
        let presenting = self.presenting();
        if presenting {
            self.presenter_ui(ui, now_us, now, &mut intents, &mut kernel_visible);
        } else {
            self.workbench_ui(ui, now_us, now, &mut intents, &mut kernel_visible);
        }

        // Ctrl+1 … Ctrl+9: a saved message to the selected socket.
        if let Some(view) = self
            .inspectors
            .selected
            .and_then(|id| self.core.session().socket(id))
        {
            let composer = self
                .inspectors
                .forms
                .get(&view.id)
                .map(|forms| &forms.composer);
            self.workspace
                .saved
                .shortcuts(ui.ctx(), Some(view), composer, &mut intents);
        }

        // Send repeats run whether or not their composer is on screen.
        let next_due = self.inspectors.tick_composers(
            self.core.session(),
            now,
            self.remembered.language,
            &mut self.workspace.saved,
            &mut intents,
        );
        self.refresh_kernels(ui.ctx(), now, kernel_visible);
        self.inspectors.forget_closed_slots(&self.remembered.layout);

        if self.core.session().stats().calls_pending > 0 {
            ui.ctx().request_repaint_after(LIVE_TIMER_REPAINT);
        }
        if let Some(due) = next_due {
            ui.ctx().request_repaint_after(due);
        }
        // Escape in a dialog answers the dialog.
        if !self.confirm_new_session && !self.presentation.confirm_reset {
            focus::escape_cancels(
                ui.ctx(),
                self.core.session(),
                self.inspectors.selected,
                &mut intents,
            );
        }
        focus::focus_ring_ui(ui.ctx(), self.remembered.appearance.projector);
        for intent in intents {
            self.apply_intent(intent);
        }
        if self
            .presentation
            .scenario
            .as_ref()
            .is_some_and(ScenarioRun::needs_frame)
        {
            ui.ctx().request_repaint();
        }
    }
}

impl WorkbenchApp {
    /// Kernel gauges are refreshed several times a second while shown, never while hidden:
    /// asks for new snapshots of the sockets in `kernel_visible` if the last were long enough
    /// ago.
    fn refresh_kernels(
        &mut self,
        ctx: &egui::Context,
        now: Instant,
        mut kernel_visible: Vec<SocketId>,
    ) {
        if kernel_visible.is_empty() {
            return;
        }
        let due = self
            .last_kernel_refresh
            .is_none_or(|at| now.duration_since(at) >= KERNEL_REFRESH);
        if due {
            self.last_kernel_refresh = Some(now);
            kernel_visible.sort();
            kernel_visible.dedup();
            for socket in kernel_visible {
                if self
                    .core
                    .session()
                    .socket(socket)
                    .is_some_and(|view| !view.closed)
                {
                    let _ = self.core.snapshot(socket);
                }
            }
        }
        ctx.request_repaint_after(KERNEL_REFRESH);
    }

    /// The whole workbench: toolbar, script panel, sockets, inspectors and views in tiles.
    fn workbench_ui(
        &mut self,
        ui: &mut egui::Ui,
        now_us: u64,
        now: Instant,
        intents: &mut Vec<Intent>,
        kernel_visible: &mut Vec<SocketId>,
    ) {
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui));
        self.confirm_new_session_ui(ui);
        self.scenario_panel(ui);
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        self.workspace_report_ui(ui);

        if self.presentation.show_lessons {
            egui::Panel::left("lessons_panel")
                .resizable(true)
                .default_size(320.0)
                .show(ui, |ui| self.lessons_panel_ui(ui));
        }

        let show_sockets = &mut self.show_sockets;
        egui::Panel::left("sockets_panel")
            .resizable(true)
            .default_size(300.0)
            .show_collapsible(ui, show_sockets, |ui| {
                sockets::sockets_panel_ui(
                    ui,
                    self.core.session(),
                    self.inspectors.selected,
                    &self.inspectors.shown,
                    &mut self.new_family,
                    &mut self.new_type,
                    now_us,
                    intents,
                );
            });

        let pane_count = panes_in_order(&self.remembered.layout).len();
        // Which of the process's sockets are the workbench's (a few hundred at most).
        self.views
            .system
            .set_workbench_inodes(self.core.socket_inodes());
        self.views.system.set_network_of(self.core.network_pid());
        self.views
            .wire
            .set_private_network(self.core.in_private_network());
        let first_screen =
            self.presentation.scenario.is_none() && self.core.session().stats().sockets_open == 0;
        // What the side panels left is the inspectors' (and the views') width.
        self.inspectors
            .fit_to_width(&mut self.remembered.layout, ui.available_width());
        let mut behavior = InspectorTiles::for_inspector(
            self.core.session(),
            &mut self.views,
            &mut self.inspectors,
            now_us,
            now,
            self.remembered.language,
        );
        behavior.pane_count = pane_count;
        behavior.saved = Some(&mut self.workspace.saved);
        behavior.start = first_screen.then_some(StartParts {
            form: &mut self.start_form,
            lessons: &self.presentation.lessons,
            recent: &self.remembered.recent,
        });
        egui::CentralPanel::default().show(ui, |ui| {
            self.remembered.layout.ui(&mut behavior, ui);
        });
        intents.append(&mut behavior.intents);
        kernel_visible.append(&mut behavior.kernel_visible);
    }
}

/// How much of the toolbar is shown in its row (the rest in menus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ToolbarLevel {
    /// Everything in the row.
    Full,
    /// The views in a menu.
    ViewsInMenu,
    /// The views and the display settings in menus.
    Menus,
}

/// The most of the toolbar that fits its row, from the width of the words at this zoom.
fn toolbar_level(ui: &egui::Ui, lang: Lang, has_script: bool) -> ToolbarLevel {
    let width = |texts: &[&str]| -> f32 {
        let font = egui::TextStyle::Button.resolve(ui.style());
        let pad = ui.spacing().button_padding.x * 2.0 + ui.spacing().item_spacing.x;
        texts
            .iter()
            .map(|text| {
                ui.fonts_mut(|fonts| {
                    fonts
                        .layout_no_wrap(text.to_string(), font.clone(), egui::Color32::WHITE)
                        .size()
                        .x
                }) + pad
            })
            .sum()
    };
    let separators = 3.0 * (ui.spacing().item_spacing.x * 2.0 + 1.0);
    let words =
        |ids: &[fn(Lang) -> String]| -> Vec<String> { ids.iter().map(|id| id(lang)).collect() };
    let width_of = |texts: &[String]| width(&texts.iter().map(String::as_str).collect::<Vec<_>>());
    let mut common = width_of(&words(&[
        |l| t!(l, "toolbar-new-session"),
        |l| t!(l, "workspace-menu"),
        |l| t!(l, "toolbar-sockets"),
        |l| t!(l, "toolbar-lessons"),
    ])) + separators;
    if has_script {
        common += width_of(&[t!(lang, "toolbar-present")]);
    }
    let views: Vec<String> = ViewKind::ALL.iter().map(|kind| kind.title(lang)).collect();
    let languages: Vec<&str> = Lang::ALL.iter().map(|lang| lang.own_name()).collect();
    let display = width_of(&theme::Appearance::toolbar_words(lang))
        + width(&["-", "300 %", "+"])
        + width(&languages)
        + ui.spacing().icon_width
        + ui.spacing().icon_spacing
        + separators / 3.0;
    let available = ui.available_width();
    let title = egui::TextStyle::Body.resolve(ui.style());
    let title = ui.fonts_mut(|fonts| {
        fonts
            .layout_no_wrap(t!(lang, "app-name"), title, egui::Color32::WHITE)
            .size()
            .x
    });
    if common + title + width_of(&views) + display <= available {
        ToolbarLevel::Full
    } else if common + width_of(&[t!(lang, "toolbar-views")]) + display <= available {
        ToolbarLevel::ViewsInMenu
    } else {
        ToolbarLevel::Menus
    }
}

/// Draws `add_contents` in a scope whose widget ids depend only on `salt`, not on how many
/// widgets were drawn before it this frame. egui numbers unnamed widgets in drawing order, so a
/// line appearing above (a pending call, a new result) would otherwise give every widget below
/// a new id, and a click or keyboard focus that spans that frame would be lost.
pub(crate) fn stable_scope<R>(
    ui: &mut egui::Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let id = egui::Id::unique(("stable_scope", salt));
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), add_contents)
        .inner
}

/// Draws `add_contents` in space at least `min_height` tall and at least as tall as it has
/// been before (remembered under `id`), so a line that arrives, grows or goes (a result, a
/// pending call, a kernel snapshot) never moves what is below it; only something taller than
/// ever before pushes, once.
pub(crate) fn steady_height<R>(
    ui: &mut egui::Ui,
    id: egui::Id,
    min_height: f32,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let reserved = ui
        .data(|data| data.get_temp::<f32>(id))
        .unwrap_or(0.0)
        .max(min_height);
    let inner = ui.scope(|ui| {
        ui.set_min_height(reserved);
        add_contents(ui)
    });
    let height = inner.response.rect.height();
    if height > reserved + 0.5 {
        ui.data_mut(|data| data.insert_temp(id, height));
    }
    inner.inner
}

/// The room of one line (of text, or of a button), for [`steady_height`]'s least height: a
/// little more than a line of text, so a one-line result fits without growing it.
pub(crate) fn line_height(ui: &egui::Ui) -> f32 {
    ui.spacing()
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Body) + 2.0)
}
fn ui_text_size(ui: &egui::Ui) -> f32 {
    egui::TextStyle::Body.resolve(ui.style()).size
}

/// `512 B`, `1.5 KiB`, `3.2 MiB`.
pub fn bytes_text(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if value < KIB {
        format!("{bytes} B")
    } else if value < KIB * KIB {
        format!("{:.1} KiB", value / KIB)
    } else if value < KIB * KIB * KIB {
        format!("{:.1} MiB", value / (KIB * KIB))
    } else {
        format!("{:.2} GiB", value / (KIB * KIB * KIB))
    }
}

/// `40 µs`, `12 ms`, `3.2 s`.
/// The language the window speaks, for any widget to ask (kept in the context rather than a
/// global, so windows in parallel tests each keep their own).
pub fn lang(ctx: &egui::Context) -> Lang {
    ctx.data(|data| data.get_temp::<Lang>(lang_id()))
        .unwrap_or_default()
}

fn set_lang(ctx: &egui::Context, lang: Lang) {
    ctx.data_mut(|data| data.insert_temp(lang_id(), lang));
}

fn lang_id() -> egui::Id {
    egui::Id::unique("socket_workbench::language")
}

pub fn duration_text(us: u64) -> String {
    if us < 1_000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{} ms", us / 1_000)
    } else {
        format!("{:.1} s", us as f64 / 1_000_000.0)
    }
}

/// "blocked in recv() 3.2 s".
pub fn blocked_text(lang: Lang, call: &Call, started_us: u64, now_us: u64) -> String {
    let elapsed_secs = now_us.saturating_sub(started_us) as f64 / 1_000_000.0;
    t!(
        lang,
        "call-blocked-in",
        call = call.name(),
        seconds = format!("{elapsed_secs:.1}")
    )
}

/// A listening socket that other machines can connect to (bound to every interface, or to
/// one that is not loopback): marked "reachable from the network" wherever it is shown.
pub(crate) fn listens_for_the_network(view: &crate::session::SocketView) -> bool {
    !view.closed
        && view.state == crate::engine::Lifecycle::Listening
        && view
            .local
            .as_ref()
            .is_some_and(|local| local.reachable_from_network())
}
