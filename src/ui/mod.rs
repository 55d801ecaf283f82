//! The window: draws the [`Session`] and turns clicks into engine calls. Never blocks and never
//! touches a socket: every call goes through the [`Engine`] to the socket's own thread.
//!
//! Drawing collects [`Intent`]s; they are applied after the frame's drawing, so the drawing code
//! only reads the session. Inspectors live in tiles (egui_tiles), so two or more sockets can be
//! shown side by side; the layout and the appearance are remembered between runs.

//!
//! Public: [`WorkbenchApp`] and the views re-exported here (each can be drawn alone, as the
//! tests and benches do), and `theme` (appearance, fonts, colours).

pub(crate) mod call_export;
pub(crate) mod call_table;
mod calls;
pub(crate) mod code_view;
pub(crate) mod composer;
pub(crate) mod data;
pub(crate) mod kernel_view;
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

use crate::core::Core;
use crate::engine::{Automation, Call, CallKind, EngineError, Family, Origin, SockType, SocketId};
use crate::script::Script;
use crate::session::{Session, SocketView};
use scenario::ScenarioRun;
use serde::{Deserialize, Serialize};
use settings::SettingsForm;
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub use call_export::EXPORT_FRAME_BUDGET;
pub use call_table::{CallTable, Column, ExportFormat, ExportStatus};
pub use calls::{CallForm, KERNEL_TOOLTIP, availability, parse_address};
pub use code_view::CodeView;
pub use composer::Composer;
pub use data::{DataIntent, DisplayMode, ReceivedView};
pub use kernel_view::{
    NOT_AVAILABLE as KERNEL_NOT_AVAILABLE, REFRESH_INTERVAL_US, kernel_gauges_compact_ui,
    kernel_gauges_ui, wants_refresh,
};
pub use stage::Stage;
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
}

impl ViewKind {
    pub const ALL: [ViewKind; 6] = [
        ViewKind::Timeline,
        ViewKind::Python,
        ViewKind::Calls,
        ViewKind::SystemSockets,
        ViewKind::Throughput,
        ViewKind::Wire,
    ];
    pub fn title(self) -> &'static str {
        match self {
            ViewKind::Timeline => "Timeline",
            ViewKind::Calls => "Call table",
            ViewKind::SystemSockets => "System sockets",
            ViewKind::Throughput => "Throughput",
            ViewKind::Python => "Python",
            ViewKind::Wire => "Wire",
        }
    }
    fn tooltip(self) -> &'static str {
        match self {
            ViewKind::Timeline => {
                "every call as a bar on its socket's lane, arrows from each send to the recv that got its bytes"
            }
            ViewKind::Calls => "every call as a row: sort, filter, export to CSV or JSON",
            ViewKind::SystemSockets => {
                "all sockets of this machine, like netstat -ano; ours highlighted"
            }
            ViewKind::Throughput => "bytes per second in and out of each socket",
            ViewKind::Python => {
                "the Python 3 line of every call made; export the session as a script"
            }
            ViewKind::Wire => {
                "the TCP and UDP segments of these sockets on loopback: capture, table, pcap export"
            }
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

/// What is remembered between runs.
#[derive(Serialize, Deserialize)]
#[serde(default)]
struct Remembered {
    appearance: theme::Appearance,
    layout: egui_tiles::Tree<Pane>,
    next_slot: u64,
    /// Scripts opened lately, newest first (the first screen lists them).
    recent: Vec<start::RecentScript>,
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
        }
    }
}

/// Everything the window keeps for one socket besides what the session knows.
struct SocketForms {
    calls: CallForm,
    settings: SettingsForm,
    composer: Composer,
    received: ReceivedView,
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

/// The Socket Workbench window.
pub struct WorkbenchApp {
    /// Engine + session: the only way to the sockets.
    core: Core,
    selected: Option<SocketId>,
    new_family: Family,
    new_type: SockType,
    forms: HashMap<SocketId, SocketForms>,
    remembered: Remembered,
    /// Which socket each inspector slot shows.
    shown: HashMap<u64, SocketId>,
    /// The inspector a newly selected socket goes to.
    focused_slot: u64,
    appearance_applied: Option<theme::Appearance>,
    /// A script (scenario or lesson) running beside the window.
    scenario: Option<ScenarioRun>,
    /// The sockets last arranged side by side for the scenario.
    arranged: Vec<SocketId>,
    views: Views,
    last_kernel_refresh: Option<Instant>,
    lessons: Vec<crate::lessons::Lesson>,
    show_lessons: bool,
    /// The sockets panel can be hidden to give a projector's small screen to the inspectors.
    show_sockets: bool,
    /// A teacher's own lesson file, as typed.
    lesson_path: String,
    lesson_error: Option<String>,
    start_form: start::StartForm,
    /// B: the window shows nothing until B again.
    blanked: bool,
    /// F5 / F11: full screen asked for.
    full_screen: bool,
    /// The presenter layout is asked for (shown while a script is loaded).
    present: bool,
    stage: stage::Stage,
    /// The latest error the engine gave outside any call (socket() failed, socket gone).
    notice: Option<String>,
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
        let focused_slot = first_slot(&remembered.layout);
        WorkbenchApp {
            core,
            selected: None,
            new_family: Family::Ipv4,
            new_type: SockType::Stream,
            forms: HashMap::new(),
            remembered,
            shown: HashMap::new(),
            focused_slot,
            appearance_applied: None,
            scenario: None,
            arranged: Vec::new(),
            views: Views {
                timeline: timeline::TimelineView::new(),
                calls: call_table::CallTable::new(),
                system: system_table::SystemTableView::new(),
                throughput: throughput::ThroughputView::new(),
                python: code_view::CodeView::new(),
                wire: wire_view::WireView::new(),
            },
            last_kernel_refresh: None,
            lessons: crate::lessons::builtin(),
            show_lessons: false,
            show_sockets: true,
            lesson_path: String::new(),
            lesson_error: None,
            start_form: start::StartForm::default(),
            blanked: false,
            full_screen: false,
            present: false,
            stage: stage::Stage::new(),
            notice: None,
        }
    }

    /// Loads a script (scenario or lesson) to run step by step in the window, on the
    /// window's own sockets.
    pub fn open_script(&mut self, script: Script) {
        // A script before may have had its sockets made in a private network of its own.
        self.core.end_script_network();
        self.load_script(script);
    }

    fn load_script(&mut self, script: Script) {
        self.scenario = None;
        // On a projector the inspectors need the room; the toolbar brings the list back. A
        // script opened in projector mode is presented (its stage, large).
        if self.remembered.appearance.projector {
            self.show_sockets = false;
            self.present = true;
        }
        self.scenario = Some(ScenarioRun::start(script, &self.core));
        self.arranged.clear();
    }

    /// Closes the script's sockets and loads it again; then runs `steps` steps, if given.
    fn restart_script(&mut self, steps: Option<usize>) {
        let Some(scenario) = self.scenario.take() else {
            return;
        };
        let mut sockets = scenario.sockets();
        let children: Vec<SocketId> = sockets
            .iter()
            .filter_map(|id| self.core.session().socket(*id))
            .flat_map(|view| view.children.clone())
            .collect();
        sockets.extend(children);
        self.core.close(&sockets);
        let script = scenario.script.clone();
        drop(scenario);
        // Its private network, if it has one, stays for the restart.
        self.load_script(script);
        if let Some(steps) = steps
            && let Some(run) = &mut self.scenario
        {
            run.run_to(steps);
        }
    }

    /// Runs the loaded script's next step (in the background).
    pub fn run_next_step(&mut self) {
        if let Some(scenario) = &mut self.scenario {
            scenario.run_next();
        }
    }

    /// Runs the loaded script's first `count` steps (in the background).
    pub fn run_steps(&mut self, count: usize) {
        if let Some(scenario) = &mut self.scenario {
            scenario.run_to(count);
        }
    }

    /// Runs every remaining step of the loaded script (in the background).
    pub fn run_all_steps(&mut self) {
        if let Some(scenario) = &mut self.scenario {
            scenario.run_all();
        }
    }

    pub fn scenario(&self) -> Option<&ScenarioRun> {
        self.scenario.as_ref()
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

    /// Advances the script (once per frame), then shows the sockets it asks for side by
    /// side and keeps the rename fields in step with the names it gave.
    fn follow_scenario(&mut self, ctx: &egui::Context) {
        let Some(scenario) = &mut self.scenario else {
            return;
        };
        if let Some(until) = scenario.advance(&mut self.core, Instant::now()) {
            ctx.request_repaint_after(until.saturating_duration_since(Instant::now()));
        }
        // The script names its sockets in the session; the name fields follow (a field a
        // person emptied shows the default name only once they type again).
        for socket in scenario.sockets() {
            if let (Some(view), Some(forms)) = (
                self.core.session().socket(socket),
                self.forms.get_mut(&socket),
            ) {
                let typed = forms.calls.name.trim();
                if !typed.is_empty() && typed != view.name {
                    forms.calls.name.clone_from(&view.name);
                }
            }
        }
        let wanted: Vec<SocketId> = scenario
            .show
            .iter()
            .filter_map(|name| scenario.socket_named(name))
            .collect();
        if !wanted.is_empty() && wanted != self.arranged {
            self.arrange(&wanted);
            self.arranged = wanted;
        }
    }

    /// The loaded script's panel: its steps, its narration, its controls, "open in browser".
    fn scenario_panel(&mut self, ui: &mut egui::Ui) {
        if let Some(scenario) = &mut self.scenario {
            let urls: Vec<String> = scenario
                .http_servers(&self.core)
                .into_iter()
                .map(|local| format!("http://{}/", local.connect_address().field_text()))
                .collect();
            let mut action = ScenarioAction::None;
            egui::Panel::top("scenario_panel").show(ui, |ui| {
                action = scenario_panel_ui(ui, scenario);
                for url in &urls {
                    ui.horizontal_wrapped(|ui| {
                        if ui
                            .button("Open in browser")
                            .on_hover_text("the page is served by the workbench socket")
                            .clicked()
                        {
                            ui.ctx().open_url(egui::OpenUrl::new_tab(url));
                        }
                        ui.label(format!("{url}   or in a terminal:"));
                        ui.monospace(format!("curl -v {url}"));
                    });
                }
            });
            self.apply_scenario_action(action);
        }
    }

    /// Does what the person asked of the running script (from its panel or the stage).
    fn apply_scenario_action(&mut self, action: ScenarioAction) {
        match action {
            ScenarioAction::None => {}
            ScenarioAction::Close => {
                self.scenario = None;
                // New sockets from here are the person's own, in the machine's network (or in
                // the private one they asked for).
                self.core.end_script_network();
            }
            ScenarioAction::Reset => self.restart_script(None),
            ScenarioAction::First => self.restart_script(Some(1)),
            ScenarioAction::Previous => {
                let steps_before = self
                    .scenario
                    .as_ref()
                    .and_then(|run| run.current)
                    .unwrap_or(0);
                self.restart_script(Some(steps_before));
            }
        }
    }

    /// Shows these sockets in the inspectors, left to right, adding inspectors as needed.
    fn arrange(&mut self, sockets: &[SocketId]) {
        let slots = panes_in_order(&self.remembered.layout);
        for (index, socket) in sockets.iter().enumerate() {
            match slots.get(index) {
                Some(slot) => {
                    self.shown.insert(*slot, *socket);
                }
                None => self.open_beside(*socket),
            }
        }
        self.selected = sockets.first().copied();
        self.focused_slot = first_slot(&self.remembered.layout);
    }

    /// Like [`WorkbenchApp::new`], restoring the layout and appearance of the last run.
    pub fn restore(cc: &eframe::CreationContext<'_>) -> Self {
        let mut app = WorkbenchApp::new(&cc.egui_ctx);
        if let Some(remembered) = cc
            .storage
            .and_then(|storage| eframe::get_value::<Remembered>(storage, STORAGE_KEY))
            && remembered.layout.root().is_some()
        {
            app.focused_slot = first_slot(&remembered.layout);
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
        self.selected
    }

    /// The sockets shown in inspectors, left to right.
    pub fn shown_sockets(&self) -> Vec<SocketId> {
        panes_in_order(&self.remembered.layout)
            .into_iter()
            .filter_map(|slot| self.shown.get(&slot).copied())
            .collect()
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
        let scenario = &mut self.scenario;
        self.core
            .apply_waiting(EVENTS_PER_FRAME, &mut |session, applied| {
                if let Some(scenario) = scenario.as_mut() {
                    scenario.observe(session, applied);
                }
            })
    }

    /// Shows the socket in the focused inspector (or where it is already shown).
    fn select(&mut self, socket: SocketId) {
        self.selected = Some(socket);
        if self.shown.values().any(|shown| *shown == socket) {
            return;
        }
        if !panes_in_order(&self.remembered.layout).contains(&self.focused_slot) {
            self.focused_slot = first_slot(&self.remembered.layout);
        }
        self.shown.insert(self.focused_slot, socket);
    }

    fn open_beside(&mut self, socket: SocketId) {
        let slot = self.remembered.next_slot;
        self.remembered.next_slot += 1;
        let tree = &mut self.remembered.layout;
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

    /// Performs what the person asked for.
    pub fn apply_intent(&mut self, intent: Intent) {
        match intent {
            Intent::Create { family, sock_type } => match self.core.create(family, sock_type) {
                Ok(id) => {
                    // The socket's Opened event is already queued; take it now so the
                    // inspector can show it at once.
                    self.drain_events();
                    self.select(id);
                    self.notice = None;
                }
                Err(error) => self.notice = Some(format!("socket() failed: {error}")),
            },
            Intent::Call { socket, call } => {
                let name = call.name();
                let result = self.core.call(socket, call, Origin::User);
                self.report(socket, name, result.map(|_| ()));
            }
            Intent::Cancel(socket) => {
                let result = self.core.cancel(socket);
                self.report(socket, "cancel", result);
            }
            Intent::Select(socket) => self.select(socket),
            Intent::OpenBeside(socket) => self.open_beside(socket),
            Intent::Rename { socket, name } => {
                self.core.rename(socket, name);
            }
            Intent::Automate { socket, automation } => {
                let result = self.core.set_automation(socket, automation);
                self.report(socket, "automatic behaviour", result);
            }
            Intent::Snapshot(socket) => {
                let result = self.core.snapshot(socket);
                self.report(socket, "kernel snapshot", result);
            }
            Intent::ClearReceived(socket) => self.core.clear_chunks(socket),
            Intent::CloseAll => self.core.close_every_socket(),
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
                    if self.scenario.is_some() {
                        self.restart_script(None);
                        self.scenario = None;
                    }
                    self.open_script(script);
                    if let Some(scenario) = self.scenario.as_mut() {
                        scenario.run_all();
                    }
                }
                Err(error) => self.notice = Some(format!("{}: {error}", quick.title())),
            },
            Intent::OpenLesson(index) => {
                if let Some(lesson) = self.lessons.get(index).cloned() {
                    self.open_lesson(&lesson);
                }
            }
            Intent::OpenRecent(index) => {
                if let Some(recent) = self.remembered.recent.get(index).cloned() {
                    let lesson = match self
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

    fn report(&mut self, socket: SocketId, what: &str, result: Result<(), EngineError>) {
        if let Err(error) = result {
            let message = format!("{what} on socket {socket}: {error}");
            if let Some(forms) = self.forms.get_mut(&socket) {
                forms.calls.engine_error = Some(message.clone());
            }
            self.notice = Some(message);
        }
    }

    /// Loads a lesson (or a teacher's file) into the window, closing the running one.
    pub fn open_lesson(&mut self, lesson: &crate::lessons::Lesson) {
        match &lesson.script {
            Ok(script) => {
                if self.scenario.is_some() {
                    self.restart_script(None);
                }
                self.open_script(script.clone());
                self.lesson_error = None;
                self.show_lessons = false;
                start::remember(
                    &mut self.remembered.recent,
                    start::RecentScript {
                        title: lesson.title.clone(),
                        file_name: lesson.file_name.clone(),
                    },
                );
            }
            Err(error) => self.lesson_error = Some(error.clone()),
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

    /// B blanks the window (as a presentation program does) and shows it again; F5 or F11
    /// switches full screen. Not while a text field has the keyboard. True while blanked: the
    /// frame then shows nothing else.
    fn presenter_keys(&mut self, ui: &mut egui::Ui) -> bool {
        let ctx = ui.ctx().clone();
        if !ctx.egui_wants_keyboard_input() {
            let (blank, full) = ctx.input(|input| {
                (
                    input.key_pressed(egui::Key::B),
                    input.key_pressed(egui::Key::F5) || input.key_pressed(egui::Key::F11),
                )
            });
            if blank {
                self.blanked = !self.blanked;
            }
            if full {
                self.full_screen = !self.full_screen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.full_screen));
            }
        }
        if self.blanked {
            egui::CentralPanel::default()
                .frame(egui::Frame::new().fill(egui::Color32::BLACK))
                .show(ui, |ui| {
                    ui.label(
                        egui::RichText::new("blanked: press B to show the window again")
                            .color(egui::Color32::from_gray(40)),
                    );
                });
        }
        self.blanked
    }

    /// Whether B has blanked the window.
    pub fn is_blanked(&self) -> bool {
        self.blanked
    }

    /// Whether F5 / F11 asked for full screen.
    pub fn is_full_screen(&self) -> bool {
        self.full_screen
    }

    /// The built-in lessons.
    pub fn lessons(&self) -> &[crate::lessons::Lesson] {
        &self.lessons
    }

    fn lessons_panel_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Lessons");
        ui.weak("One click loads a lesson: its sockets, its steps and what to look at.");
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .id_salt("lessons_scroll")
            .max_height(ui.available_height() - 120.0)
            .show(ui, |ui| {
                for (index, lesson) in self.lessons.iter().enumerate() {
                    let response = ui
                        .add(
                            egui::Button::new(egui::RichText::new(&lesson.title).strong())
                                .frame(false),
                        )
                        .on_hover_text(&lesson.file_name);
                    if response.clicked() {
                        chosen = Some(index);
                    }
                    if !lesson.summary.is_empty() {
                        ui.weak(&lesson.summary);
                    }
                    if let Err(error) = &lesson.script {
                        ui.colored_label(theme::error_color(ui.visuals()), error);
                    }
                    ui.add_space(4.0);
                }
            });
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("lesson file");
            ui.add(egui::TextEdit::singleline(&mut self.lesson_path).desired_width(200.0))
                .labelled_by(label.id);
            if ui
                .button("Open file")
                .on_hover_text(
                    "load your own lesson or scenario file (the format is in docs/scripts.md)",
                )
                .clicked()
            {
                let lesson =
                    crate::lessons::load_file(std::path::Path::new(self.lesson_path.trim()));
                self.open_lesson(&lesson);
            }
        });
        if let Some(error) = &self.lesson_error {
            ui.colored_label(
                theme::error_color(ui.visuals()),
                egui::RichText::new(error).monospace(),
            );
        }
        if let Some(index) = chosen
            && let Some(lesson) = self.lessons.get(index).cloned()
        {
            self.open_lesson(&lesson);
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.strong("Socket Workbench");
            ui.separator();
            ui.toggle_value(&mut self.show_sockets, "Sockets")
                .on_hover_text("show or hide the list of sockets (more room on a projector)");
            ui.toggle_value(&mut self.show_lessons, "Lessons")
                .on_hover_text("the built-in lessons, and your own lesson files");
            ui.separator();
            for kind in ViewKind::ALL {
                let mut open = self.view_open(kind);
                if ui
                    .toggle_value(&mut open, kind.title())
                    .on_hover_text(kind.tooltip())
                    .clicked()
                {
                    self.toggle_view(kind);
                }
            }
            ui.separator();
            if self.remembered.appearance.toolbar_ui(ui) {
                self.appearance_applied = None;
            }
            if self.scenario.is_some() {
                ui.separator();
                ui.toggle_value(&mut self.present, "Present").on_hover_text(
                    "the presenter stage: the narration large, and what this step shows",
                );
            }
        });
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let stats = self.core.session().stats();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} sockets open · {} in · {} out · {} calls pending",
                stats.sockets_open,
                bytes_text(stats.bytes_in),
                bytes_text(stats.bytes_out),
                stats.calls_pending,
            ));
            if stats.dropped_log_entries > 0 || stats.dropped_bytes > 0 {
                ui.colored_label(
                    theme::warn_color(ui.visuals()),
                    format!(
                        "· dropped by the memory cap: {} log entries, {} received",
                        stats.dropped_log_entries,
                        bytes_text(stats.dropped_bytes),
                    ),
                );
            }
            if stats.forgotten_sockets > 0 {
                ui.weak(format!(
                    "· {} closed sockets forgotten",
                    stats.forgotten_sockets
                ))
                .on_hover_text(sockets::FORGOTTEN_SOCKETS_EXPLAINED);
            }
            if let Some(notice) = &self.notice {
                ui.colored_label(theme::error_color(ui.visuals()), notice);
            }
        });
    }
}

fn panes_in_order(tree: &egui_tiles::Tree<Pane>) -> Vec<u64> {
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

fn first_slot(tree: &egui_tiles::Tree<Pane>) -> u64 {
    panes_in_order(tree).first().copied().unwrap_or(0)
}

/// Draws the inspectors inside the tiles.
struct InspectorTiles<'a> {
    session: &'a Session,
    views: &'a mut Views,
    our_addresses: &'a std::collections::HashSet<crate::engine::SocketAddress>,
    /// Sockets whose Kernel section is open this frame (their snapshots are refreshed).
    kernel_visible: Vec<SocketId>,
    forms: &'a mut HashMap<SocketId, SocketForms>,
    shown: &'a HashMap<u64, SocketId>,
    focused_slot: &'a mut u64,
    pane_count: usize,
    now_us: u64,
    now: Instant,
    intents: Vec<Intent>,
    /// While no socket is open and no script is loaded: the first screen's parts.
    start: Option<StartParts<'a>>,
}

/// What the first screen shows and edits.
struct StartParts<'a> {
    form: &'a mut start::StartForm,
    lessons: &'a [crate::lessons::Lesson],
    recent: &'a [start::RecentScript],
}

impl<'a> InspectorTiles<'a> {
    /// Drawing inspectors: in the tiles (the caller sets `pane_count` and `start`) or beside
    /// the presenter stage.
    fn for_inspector(
        session: &'a Session,
        views: &'a mut Views,
        forms: &'a mut HashMap<SocketId, SocketForms>,
        shown: &'a HashMap<u64, SocketId>,
        focused_slot: &'a mut u64,
        now_us: u64,
        now: Instant,
    ) -> Self {
        InspectorTiles {
            session,
            views,
            our_addresses: session.addresses_seen(),
            kernel_visible: Vec::new(),
            forms,
            shown,
            focused_slot,
            pane_count: 1,
            now_us,
            now,
            intents: Vec::new(),
            start: None,
        }
    }

    /// One socket's inspector (in a tile, or beside the presenter stage): its header, its
    /// calls, kernel, send, options and automation, with what it received below.
    fn inspector_ui(&mut self, ui: &mut egui::Ui, slot: u64, view: &'a SocketView) {
        let forms = self
            .forms
            .entry(view.id)
            .or_insert_with(|| SocketForms::new(view));
        let socket = view.id;
        stable_scope(ui, ("inspector", slot), |ui| {
            let pane_height = ui.available_height();
            egui::Panel::bottom(("received_panel", slot))
                .resizable(true)
                .default_size(pane_height * 0.4)
                .min_size(120.0_f32.min(pane_height * 0.3))
                .max_size(pane_height * 0.6)
                .show(ui, |ui| {
                    // Clipped to the panel: in a short pane the received view scrolls instead
                    // of spilling over the inspector above it.
                    egui::ScrollArea::vertical()
                        .id_salt(("received_scroll", slot))
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            stable_scope(ui, ("received", slot), |ui| {
                                if let Some(DataIntent::Clear(socket)) =
                                    forms.received.ui(ui, self.session, socket)
                                {
                                    self.intents.push(Intent::ClearReceived(socket));
                                }
                            });
                        });
                });
            egui::ScrollArea::vertical()
                .id_salt(("inspector_scroll", slot))
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    // Each part has its own fixed id scope: the header grows a line while a
                    // call is pending, and widgets below must keep their ids (a click or the
                    // typing focus would be lost when ids shift between two frames).
                    stable_scope(ui, ("header", slot), |ui| {
                        calls::header_ui(
                            ui,
                            view,
                            &mut forms.calls,
                            self.now_us,
                            &mut self.intents,
                        );
                        ui.separator();
                    });
                    stable_scope(ui, ("calls", slot), |ui| {
                        egui::CollapsingHeader::new("Calls")
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
                        egui::CollapsingHeader::new("Kernel")
                            .id_salt(("kernel", slot))
                            .default_open(true)
                            .show(ui, |ui| {
                                self.kernel_visible.push(view.id);
                                settings::kernel_ui(ui, view, self.now_us, &mut self.intents);
                            });
                    });
                    stable_scope(ui, ("send", slot), |ui| {
                        egui::CollapsingHeader::new("Send")
                            .id_salt(("send", slot))
                            .default_open(true)
                            .show(ui, |ui| {
                                for call in forms.composer.ui(ui, view, self.now) {
                                    self.intents.push(Intent::Call { socket, call });
                                }
                                // What the last send, sendall and sendto did, under the buttons.
                                for kind in [CallKind::Send, CallKind::SendAll, CallKind::SendTo] {
                                    calls::result_ui(ui, self.session, view, kind, self.now_us);
                                }
                            });
                    });
                    stable_scope(ui, ("options", slot), |ui| {
                        egui::CollapsingHeader::new("Mode and options")
                            .id_salt(("options", slot))
                            .show(ui, |ui| {
                                settings::mode_ui(ui, view, &mut forms.settings, &mut self.intents);
                                ui.separator();
                                settings::options_ui(
                                    ui,
                                    view,
                                    &mut forms.settings,
                                    &mut self.intents,
                                );
                            });
                    });
                    stable_scope(ui, ("automation", slot), |ui| {
                        egui::CollapsingHeader::new("Automatic behaviour")
                            .id_salt(("automation", slot))
                            .show(ui, |ui| {
                                settings::automation_ui(
                                    ui,
                                    view,
                                    &mut forms.settings,
                                    &mut self.intents,
                                );
                            });
                    });
                });
        });
    }

    /// One of the views of all sockets, in its tile.
    fn view_pane_ui(&mut self, ui: &mut egui::Ui, kind: ViewKind) {
        ui.push_id(("view", kind.title()), |ui| match kind {
            ViewKind::Timeline => self.views.timeline.ui(ui, self.session, self.now_us),
            ViewKind::Calls => self.views.calls.ui(ui, self.session),
            ViewKind::SystemSockets => self.views.system.ui(ui, self.our_addresses),
            ViewKind::Throughput => self.views.throughput.ui(ui, self.session, self.now_us),
            ViewKind::Python => self.views.python.ui(ui, self.session),
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
fn empty_inspector_ui(ui: &mut egui::Ui) {
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.heading("Socket Workbench");
        ui.label(
            "Create a socket on the left (New TCP socket), then perform its calls one at a \
             time here and see what each did.",
        );
        ui.label(
            "Select a socket to show it here; \"beside\" on its card opens another inspector \
             next to this one.",
        );
    });
}

impl egui_tiles::Behavior<Pane> for InspectorTiles<'_> {
    fn tab_title_for_pane(&mut self, pane: &Pane) -> egui::WidgetText {
        match pane {
            Pane::View(kind) => kind.title().into(),
            Pane::Inspector { slot } => {
                match self.shown.get(slot).and_then(|id| self.session.socket(*id)) {
                    Some(view) => view.name.clone().into(),
                    None => "Inspector".into(),
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
            empty_inspector_ui(ui);
            return egui_tiles::UiResponse::None;
        };
        self.inspector_ui(ui, slot, view);
        egui_tiles::UiResponse::None
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
        eframe::set_value(storage, STORAGE_KEY, &self.remembered);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
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
        if self.presenter_keys(ui) {
            return;
        }
        let now_us = self.core.now_us();
        let now = Instant::now();
        let mut intents = Vec::new();
        let mut kernel_visible = Vec::new();
        let presenting = self.presenting();
        if presenting {
            self.presenter_ui(ui, now_us, now, &mut intents, &mut kernel_visible);
        } else {
            self.workbench_ui(ui, now_us, now, &mut intents, &mut kernel_visible);
        }

        // Send repeats run whether or not their composer is on screen.
        let mut next_due: Option<Duration> = None;
        for (socket, forms) in &mut self.forms {
            let Some(view) = self.core.session().socket(*socket) else {
                continue;
            };
            for call in forms.composer.tick(view, now) {
                intents.push(Intent::Call {
                    socket: *socket,
                    call,
                });
            }
            if let Some(due) = forms.composer.next_due(now) {
                next_due = Some(next_due.map_or(due, |current: Duration| current.min(due)));
            }
        }
        // Kernel gauges are refreshed several times a second while shown, never while hidden.
        if !kernel_visible.is_empty() {
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
            ui.ctx().request_repaint_after(KERNEL_REFRESH);
        }
        // Forget slots whose tiles were closed.
        let live_slots = panes_in_order(&self.remembered.layout);
        self.shown.retain(|slot, _| live_slots.contains(slot));

        if self.core.session().stats().calls_pending > 0 {
            ui.ctx().request_repaint_after(LIVE_TIMER_REPAINT);
        }
        if let Some(due) = next_due {
            ui.ctx().request_repaint_after(due);
        }
        for intent in intents {
            self.apply_intent(intent);
        }
        if self.scenario.as_ref().is_some_and(ScenarioRun::needs_frame) {
            ui.ctx().request_repaint();
        }
    }
}

impl WorkbenchApp {
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
        self.scenario_panel(ui);
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));

        if self.show_lessons {
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
                    self.selected,
                    &self.shown,
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
        let first_screen = self.scenario.is_none() && self.core.session().stats().sockets_open == 0;
        let mut behavior = InspectorTiles::for_inspector(
            self.core.session(),
            &mut self.views,
            &mut self.forms,
            &self.shown,
            &mut self.focused_slot,
            now_us,
            now,
        );
        behavior.pane_count = pane_count;
        behavior.start = first_screen.then_some(StartParts {
            form: &mut self.start_form,
            lessons: &self.lessons,
            recent: &self.remembered.recent,
        });
        egui::CentralPanel::default().show(ui, |ui| {
            self.remembered.layout.ui(&mut behavior, ui);
        });
        intents.append(&mut behavior.intents);
        kernel_visible.append(&mut behavior.kernel_visible);
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

/// What the person asked of the running script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScenarioAction {
    None,
    Close,
    Reset,
    Previous,
    /// Home: back to the first step (reset, then step 1 run).
    First,
}

/// The running script's title, the current step's narration in large type, its calls, and the
/// buttons (and keys) that step through it.
fn scenario_panel_ui(ui: &mut egui::Ui, scenario: &mut ScenarioRun) -> ScenarioAction {
    let mut action = ScenarioAction::None;
    let total = scenario.steps.len();
    ui.horizontal_wrapped(|ui| {
        ui.heading(&scenario.title);
        let progress = match scenario.current {
            None => format!("{total} steps"),
            Some(step) => format!("step {} of {total}", step + 1),
        };
        ui.label(progress);
        action = step_buttons_ui(ui, scenario, true);
        if scenario.running {
            ui.colored_label(theme::pending_color(ui.visuals()), "running...");
        } else if scenario.finished {
            ui.colored_label(theme::ok_color(ui.visuals()), "finished");
        }
        if ui.button("Close script").clicked() {
            action = ScenarioAction::Close;
        }
    });
    let narration_size = ui_text_size(ui) * 1.35;
    let shown_step = scenario.current.or(if total > 0 { Some(0) } else { None });
    if scenario.current.is_none()
        && let Some(intro) = &scenario.intro
    {
        ui.label(egui::RichText::new(intro.trim()).size(narration_size));
    }
    if let Some(say) = shown_step
        .and_then(|step| scenario.steps.get(step))
        .and_then(|step| step.say.as_ref())
    {
        let prefix = if scenario.current.is_none() {
            "Next: "
        } else {
            ""
        };
        ui.label(egui::RichText::new(format!("{prefix}{}", say.trim())).size(narration_size));
    }
    for failure in &scenario.failures {
        ui.colored_label(theme::error_color(ui.visuals()), failure);
    }
    // The step's calls and the text timeline, side by side so they take one line when shut.
    let shown_actions: Vec<String> = shown_step
        .and_then(|step| scenario.steps.get(step))
        .map(|step| step.actions.clone())
        .unwrap_or_default();
    ui.horizontal_top(|ui| {
        let half = (ui.available_width() / 2.0 - 8.0).max(120.0);
        ui.vertical(|ui| {
            ui.set_width(half);
            egui::CollapsingHeader::new(format!(
                "the calls of step {}",
                shown_step.map_or(0, |s| s + 1)
            ))
            .id_salt("scenario_actions")
            .show(ui, |ui| {
                for action in &shown_actions {
                    ui.monospace(action);
                }
            });
        });
        ui.vertical(|ui| {
            ui.set_width(half);
            egui::CollapsingHeader::new("timeline (text)")
                .id_salt("scenario_timeline")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(200.0)
                        .stick_to_bottom(true)
                        .show(ui, |ui| {
                            ui.monospace(scenario.timeline());
                        });
                });
        });
    });
    if action == ScenarioAction::None {
        action = scenario_keys(ui, scenario);
    }
    action
}

/// Previous step, Next step, (Run all steps,) Reset: what the script panel and the presenter
/// bar both offer.
fn step_buttons_ui(ui: &mut egui::Ui, scenario: &mut ScenarioRun, run_all: bool) -> ScenarioAction {
    let mut action = ScenarioAction::None;
    let can_run = !scenario.running && !scenario.finished;
    if ui
        .add_enabled(
            !scenario.running && scenario.current.is_some(),
            egui::Button::new("Previous step"),
        )
        .on_hover_text("start again and run up to the step before (PageUp, Left)")
        .clicked()
    {
        action = ScenarioAction::Previous;
    }
    if ui
        .add_enabled(can_run, egui::Button::new("Next step"))
        .on_hover_text(
            "run the next step's calls (PageDown, Right, Space; End: every step, Home: back to step 1)",
        )
        .clicked()
    {
        scenario.run_next();
    }
    if run_all
        && ui
            .add_enabled(can_run, egui::Button::new("Run all steps"))
            .clicked()
    {
        scenario.run_all();
    }
    if ui
        .add_enabled(!scenario.running, egui::Button::new("Reset"))
        .on_hover_text("close this script's sockets and start again from the first step")
        .clicked()
    {
        action = ScenarioAction::Reset;
    }
    action
}

/// Presentation clickers send PageDown / PageUp; keyboards also Right / Left / Space, and
/// Home / End for the first and the last step. Not while a text field has the keyboard.
fn scenario_keys(ui: &egui::Ui, scenario: &mut ScenarioRun) -> ScenarioAction {
    let mut action = ScenarioAction::None;
    let total = scenario.steps.len();
    if !ui.ctx().egui_wants_keyboard_input() {
        let (next, previous, first, last) = ui.input(|input| {
            (
                input.key_pressed(egui::Key::PageDown)
                    || input.key_pressed(egui::Key::ArrowRight)
                    || input.key_pressed(egui::Key::Space),
                input.key_pressed(egui::Key::PageUp) || input.key_pressed(egui::Key::ArrowLeft),
                input.key_pressed(egui::Key::Home),
                input.key_pressed(egui::Key::End),
            )
        });
        if next {
            scenario.run_next();
        }
        if last && !scenario.finished {
            scenario.run_all();
        }
        if previous && !scenario.running && scenario.current.is_some() {
            action = ScenarioAction::Previous;
        }
        if first && !scenario.running && total > 0 {
            action = ScenarioAction::First;
        }
    }
    action
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
pub fn blocked_text(call: &Call, started_us: u64, now_us: u64) -> String {
    let elapsed_secs = now_us.saturating_sub(started_us) as f64 / 1_000_000.0;
    format!("blocked in {}() {elapsed_secs:.1} s", call.name())
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
