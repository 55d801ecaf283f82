//! The workspace in the window (PRODUCT part 13): Open / Save / Save as through a file
//! dialog that never blocks a frame (rfd's future is awaited on a thread of its own; the path
//! comes back by channel) or a typed path; the consent asked before a file from someone else
//! does anything beyond loopback and its own folder; the composers, saved messages and rules
//! put back once the setup has run; and, per socket, what could not be rebuilt.

use super::{Composer, WorkbenchApp};
use crate::engine::Call;
use crate::i18n::{Lang, outcome_words};
use crate::messages::SavedMessage;
use crate::script::Reach;
use crate::session::LogEntry;
use crate::t;
use crate::workspace::{self, Workspace};
use crossbeam_channel::Receiver;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A file this window saved: opened again, it runs without asking (unless it changed since).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct TrustedFile {
    pub(super) path: String,
    /// SHA-256 of what was written, in hex.
    pub(super) sha256: String,
}

/// How many saved files are remembered as trusted (the oldest go first).
const TRUSTED_FILES_KEPT: usize = 50;

/// What the workspace dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Purpose {
    Open,
    Save,
}

/// The Open / Save dialog: a path typed or chosen with Browse.
pub(super) struct FileDialog {
    pub(super) purpose: Purpose,
    pub(super) path: String,
    pub(super) error: Option<String>,
    /// The native dialog, running on its own thread.
    browsing: Option<Receiver<Option<PathBuf>>>,
}

/// A file read and not yet run.
pub(super) struct Pending {
    /// None: the window's own last workspace.
    pub(super) path: Option<PathBuf>,
    pub(super) read: workspace::Read,
    /// What it would do beyond loopback and its folder (the consent lists these).
    pub(super) reaches: Vec<Reach>,
    /// What opening it does once agreed.
    then: Then,
    /// This window wrote it (unchanged since): its tile layout may be used as it is.
    trusted: bool,
}

/// A workspace rebuilds its setup at once; a script (a lesson file) waits for Next step,
/// after this many steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Then {
    Workspace,
    Script { steps: Option<usize> },
}

/// The workspace's state in the window.
#[derive(Default)]
pub(super) struct WorkspaceState {
    pub(super) saved: super::messages::SavedMessages,
    /// The file last opened or saved (Save writes it again).
    pub(super) file: Option<PathBuf>,
    pub(super) dialog: Option<FileDialog>,
    /// Read, waiting for the person's yes.
    pub(super) consent: Option<Pending>,
    /// Its setup is running; the rest is put back when it has run.
    restoring: Option<Pending>,
    /// What the last opening could not rebuild, one line per problem (empty: all of it).
    pub(super) report: Vec<String>,
    /// A message to show once (saved, or why not).
    pub(super) said: Option<(bool, String)>,
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl WorkbenchApp {
    /// The workspace of this window now: the open sockets' setup, their composers, the
    /// saved messages and rules, and the appearance.
    pub fn workspace_now(&self) -> Workspace {
        let session = self.core.session();
        let mut workspace = workspace::from_session(session);
        let names = crate::codegen::python_names(session);
        let mut received = toml::Table::new();
        for (id, forms) in &self.inspectors.forms {
            let Some(name) = names.get(id) else { continue };
            if !workspace.sockets.iter().any(|socket| &socket.name == name) {
                continue;
            }
            if let Ok(toml::Value::Table(table)) = toml::Value::try_from(&forms.composer) {
                workspace.composers.insert(name.clone(), table);
            }
            // How its received data is shown (text or hex, the framing rule).
            if let Ok(toml::Value::Table(table)) = toml::Value::try_from(&forms.received) {
                received.insert(name.clone(), toml::Value::Table(table));
            }
        }
        if !received.is_empty() {
            workspace
                .view
                .insert("received".into(), toml::Value::Table(received));
        }
        workspace.messages = self.workspace.saved.list().to_vec();
        workspace.rules = self.workspace.saved.rules().to_vec();
        let open: Vec<toml::Value> = super::ViewKind::ALL
            .into_iter()
            .filter(|kind| self.view_open(*kind))
            .map(|kind| toml::Value::String(kind.key().to_string()))
            .collect();
        workspace
            .view
            .insert("open".into(), toml::Value::Array(open));
        // The tiles as they are arranged (used again only from a file this window wrote).
        if let Ok(layout) = serde_json::to_string(&self.remembered.layout) {
            workspace
                .view
                .insert("layout".into(), toml::Value::String(layout));
        }
        if let Ok(toml::Value::Table(appearance)) =
            toml::Value::try_from(&self.remembered.appearance)
        {
            workspace
                .view
                .insert("appearance".into(), toml::Value::Table(appearance));
        }
        workspace.title = self
            .workspace
            .file
            .as_ref()
            .and_then(|path| path.file_stem())
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        workspace
    }

    /// Writes the workspace to `path` (a new file beside it, then renamed over it, so a
    /// failed write leaves the old file whole) and trusts it from now on.
    pub fn save_workspace(&mut self, path: &Path) -> Result<(), String> {
        let lang = self.remembered.language;
        let text = workspace::print(&self.workspace_now());
        let partial = path.with_extension("toml.partial");
        let shown = path.display().to_string();
        std::fs::write(&partial, &text)
            .and_then(|()| std::fs::rename(&partial, path))
            .map_err(|error| {
                let _ = std::fs::remove_file(&partial);
                t!(
                    lang,
                    "workspace-save-failed",
                    file = shown.as_str(),
                    error = error.to_string()
                )
            })?;
        self.trust(path, &text);
        self.workspace.file = Some(path.to_path_buf());
        self.workspace.said = Some((false, t!(lang, "workspace-saved", file = shown.as_str())));
        Ok(())
    }

    fn trust(&mut self, path: &Path, text: &str) {
        let path = absolute(path).display().to_string();
        let trusted = &mut self.remembered.trusted_files;
        trusted.retain(|file| file.path != path);
        trusted.push(TrustedFile {
            path,
            sha256: sha256_hex(text),
        });
        let over = trusted.len().saturating_sub(TRUSTED_FILES_KEPT);
        trusted.drain(..over);
    }

    fn is_trusted(&self, path: &Path, text: &str) -> bool {
        let path = absolute(path).display().to_string();
        let digest = sha256_hex(text);
        self.remembered
            .trusted_files
            .iter()
            .any(|file| file.path == path && file.sha256 == digest)
    }

    /// Reads a workspace file. One this window saved (unchanged), or one that stays within
    /// loopback and its own folder, is opened at once; any other waits for the person's yes
    /// (the consent lists what it would do). A malformed file is refused with
    /// FILE:LINE:COL.
    pub fn open_workspace(&mut self, path: &Path) -> Result<(), String> {
        self.open_file(path, Then::Workspace)
    }

    /// Opens a script or lesson file to run step by step (`steps` at once), after the
    /// person's consent when it reaches beyond loopback and its folder. A file with a
    /// `[workspace]` table is opened as a workspace.
    pub fn open_script_file(&mut self, path: &Path, steps: Option<usize>) -> Result<(), String> {
        self.open_file(path, Then::Script { steps })
    }

    fn open_file(&mut self, path: &Path, then: Then) -> Result<(), String> {
        let lang = self.remembered.language;
        let text = crate::script::read_text_in(lang, path)?;
        let shown = path.display().to_string();
        let read = workspace::read(lang, &text).map_err(|error| error.render(&shown, &text))?;
        let then = if read.is_workspace {
            Then::Workspace
        } else {
            then
        };
        let trusted = self.is_trusted(path, &text);
        let reaches = if trusted || crate::lessons::is_builtin_text(&text) {
            Vec::new()
        } else {
            let absolute = absolute(path);
            let folder = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
            crate::script::reaches(&read.script, &folder)
        };
        let pending = Pending {
            path: Some(path.to_path_buf()),
            read,
            reaches,
            then,
            trusted,
        };
        if pending.reaches.is_empty() {
            self.run_pending(pending);
        } else {
            self.workspace.consent = Some(pending);
        }
        Ok(())
    }

    /// At start: the workspace this window had when it last closed, when the setting says so
    /// (it was the window's own, so it runs without asking).
    pub fn restore_last_workspace(&mut self) {
        if !self.remembered.restore_last_workspace {
            return;
        }
        let Some(text) = self.remembered.last_workspace.clone() else {
            return;
        };
        let lang = self.remembered.language;
        match workspace::read(lang, &text) {
            Ok(read) if !read.workspace.sockets.is_empty() => self.run_pending(Pending {
                path: None,
                read,
                reaches: Vec::new(),
                then: Then::Workspace,
                trusted: true,
            }),
            Ok(_) => {}
            Err(error) => {
                self.workspace.said = Some((true, error.render("last workspace", &text)));
            }
        }
    }

    /// The workspace's saved messages, in order.
    pub fn saved_messages(&self) -> &[SavedMessage] {
        self.workspace.saved.list()
    }

    /// Adds a saved message at the end of the list.
    pub fn add_saved_message(&mut self, message: SavedMessage) {
        self.workspace.saved.push(message);
    }

    /// Sets the file the Saved messages view imports from and exports to.
    pub fn set_saved_messages_file(&mut self, path: &str) {
        self.workspace.saved.set_file(path);
    }

    /// Shows a message under the views until dismissed (a file that could not be opened).
    pub fn say(&mut self, message: String) {
        self.workspace.said = Some((true, message));
    }

    /// The workspace file the window would keep if it closed now (None: nothing to keep).
    pub fn last_workspace_text(&mut self) -> Option<String> {
        self.remember_last_workspace();
        self.remembered.last_workspace.clone()
    }

    /// What a previous window kept (its next start rebuilds it: [`Self::restore_last_workspace`]).
    pub fn set_last_workspace_text(&mut self, text: Option<String>) {
        self.remembered.last_workspace = text;
    }

    /// New workspace: a new session, and no saved messages, rules or file.
    pub fn new_workspace(&mut self) {
        self.new_session();
        self.workspace.saved = super::messages::SavedMessages::default();
        self.workspace.file = None;
        self.workspace.report.clear();
    }

    /// What the window keeps for its next start: the workspace now, if it has sockets.
    pub(super) fn remember_last_workspace(&mut self) {
        let workspace = self.workspace_now();
        self.remembered.last_workspace = (!workspace.sockets.is_empty()
            || !workspace.messages.is_empty())
        .then(|| workspace::print(&workspace));
    }

    /// The person's answer to the consent: yes runs the file, no forgets it.
    pub(super) fn answer_consent(&mut self, yes: bool) {
        if let Some(pending) = self.workspace.consent.take()
            && yes
        {
            self.run_pending(pending);
        }
    }

    /// The person agreed (or nothing needed agreeing).
    fn run_pending(&mut self, pending: Pending) {
        match pending.then {
            Then::Workspace => self.run_workspace(pending),
            Then::Script { steps } => {
                self.open_script(pending.read.script);
                if let Some(steps) = steps {
                    self.run_steps(steps);
                }
            }
        }
    }

    /// The old sockets go, the setup runs; the rest is put back when it has run.
    fn run_workspace(&mut self, pending: Pending) {
        self.new_session();
        self.open_script(pending.read.script.clone());
        self.run_all_steps();
        self.workspace.file = pending.path.clone();
        self.workspace.report.clear();
        self.workspace.restoring = Some(pending);
    }

    /// Once the setup has run: the composers, messages, rules and appearance go back, and
    /// what failed is reported per socket.
    pub(super) fn finish_restoring(&mut self) {
        let done = self
            .presentation
            .scenario
            .as_ref()
            .is_some_and(|scenario| scenario.finished && !scenario.running);
        if !done {
            return;
        }
        let Some(pending) = self.workspace.restoring.take() else {
            return;
        };
        let lang = self.remembered.language;
        let read = pending.read;
        let mut report = Vec::new();
        if let Some(version) = read.newer_version {
            report.push(t!(
                lang,
                "workspace-newer-version",
                version = version.to_string()
            ));
        }
        if !read.unknown_keys.is_empty() {
            report.push(t!(
                lang,
                "workspace-unknown-keys",
                keys = read.unknown_keys.join(", ")
            ));
        }
        let named: Vec<(String, crate::engine::SocketId)> = self
            .presentation
            .scenario
            .as_ref()
            .map(|scenario| {
                read.workspace
                    .sockets
                    .iter()
                    .filter_map(|socket| {
                        scenario
                            .socket_named(&socket.name)
                            .map(|id| (socket.name.clone(), id))
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (name, table) in &read.workspace.composers {
            let Some((_, id)) = named.iter().find(|(named, _)| named == name) else {
                report.push(t!(
                    lang,
                    "workspace-composer-no-socket",
                    name = name.as_str()
                ));
                continue;
            };
            let Some(view) = self.core.session().socket(*id).cloned() else {
                continue;
            };
            match toml::Value::Table(table.clone()).try_into::<Composer>() {
                Ok(mut composer) => {
                    composer.family = view.family;
                    composer.sock_type = view.sock_type;
                    self.inspectors.forms_of(&view).composer = composer;
                }
                Err(error) => report.push(t!(
                    lang,
                    "workspace-composer-unreadable",
                    name = name.as_str(),
                    error = error.message().to_string()
                )),
            }
        }
        if let Some(toml::Value::Table(received)) = read.workspace.view.get("received") {
            for (name, table) in received {
                let view = named
                    .iter()
                    .find(|(named, _)| named == name)
                    .and_then(|(_, id)| self.core.session().socket(*id).cloned());
                let (Some(view), Some(table)) = (view, table.as_table()) else {
                    continue;
                };
                match toml::Value::Table(table.clone()).try_into::<super::ReceivedView>() {
                    Ok(shown) => self.inspectors.forms_of(&view).received = shown,
                    Err(error) => report.push(t!(
                        lang,
                        "workspace-received-unreadable",
                        name = name.as_str(),
                        error = error.message().to_string()
                    )),
                }
            }
        }
        report.extend(self.setup_failures(lang, &named));
        if let Some(scenario) = &self.presentation.scenario {
            report.extend(scenario.failures.iter().cloned());
        }
        self.workspace.saved.set(read.workspace.messages);
        self.workspace.saved.set_rules(read.workspace.rules);
        if let Some(appearance) = read.workspace.view.get("appearance").cloned()
            && let Ok(appearance) = appearance.try_into()
        {
            self.remembered.appearance = appearance;
            self.appearance_applied = None;
        }
        if !(pending.trusted && self.use_layout_of(&read.workspace.view)) {
            self.open_views_of(&read.workspace.view, lang, &mut report);
        }
        self.workspace.report = report;
        // The setup is done: the window is the person's again, its sockets open.
        self.presentation.scenario = None;
        // The socket a person sends from first: a client (one that connects), else the first.
        let client = read
            .workspace
            .sockets
            .iter()
            .find(|socket| socket.connect.is_some())
            .and_then(|socket| named.iter().find(|(name, _)| *name == socket.name));
        if let Some((_, chosen)) = client.or(named.first()) {
            self.apply_intent(super::Intent::Select(*chosen));
        }
    }

    /// The tiles as a file this window wrote had them; false (nothing changed) when it has
    /// none or they cannot be read.
    fn use_layout_of(&mut self, view: &toml::Table) -> bool {
        let Some(layout) = view.get("layout").and_then(|layout| layout.as_str()) else {
            return false;
        };
        let Ok(tree) = serde_json::from_str::<egui_tiles::Tree<super::Pane>>(layout) else {
            return false;
        };
        if tree.root().is_none() {
            return false;
        }
        let slots = super::inspector::panes_in_order(&tree);
        self.remembered.next_slot = self
            .remembered
            .next_slot
            .max(slots.iter().max().map_or(0, |slot| slot + 1));
        self.inspectors.focused_slot = slots.first().copied().unwrap_or(0);
        self.remembered.layout = tree;
        true
    }

    /// The views the workspace had open (`[workspace.view] open = ["timeline"]`) are open,
    /// the others closed; a name this version does not know is reported.
    fn open_views_of(&mut self, view: &toml::Table, lang: Lang, report: &mut Vec<String>) {
        let Some(toml::Value::Array(names)) = view.get("open") else {
            return;
        };
        let mut unknown = 0;
        let wanted: Vec<super::ViewKind> = names
            .iter()
            .filter_map(|name| {
                let name = name.as_str().unwrap_or_default();
                let kind = super::ViewKind::from_key(name);
                // A file from elsewhere may list thousands: the first few are said.
                if kind.is_none() && unknown < 5 {
                    unknown += 1;
                    report.push(t!(
                        lang,
                        "workspace-unknown-view",
                        name = crate::codec::terminal_safe(name)
                    ));
                }
                kind
            })
            .collect();
        for kind in super::ViewKind::ALL {
            if self.view_open(kind) != wanted.contains(&kind) {
                self.toggle_view(kind);
            }
        }
    }

    /// Each setup call that failed, as `server: bind(('127.0.0.1', 5020)) -> EADDRINUSE`.
    fn setup_failures(
        &self,
        lang: Lang,
        named: &[(String, crate::engine::SocketId)],
    ) -> Vec<String> {
        let session = self.core.session();
        let mut lines = Vec::new();
        for n in 0..session.log_len() {
            let Some(LogEntry::Call(record)) = session.log_entry(n) else {
                continue;
            };
            let Some((name, _)) = named.iter().find(|(_, id)| *id == record.socket) else {
                continue;
            };
            let setup = matches!(
                record.call,
                Call::SetOpt { .. }
                    | Call::Bind(_)
                    | Call::Listen { .. }
                    | Call::Connect(_)
                    | Call::SetBlocking(_)
                    | Call::SetTimeout(_)
            );
            let Some(outcome) = record.outcome.as_ref().filter(|outcome| !outcome.is_ok()) else {
                continue;
            };
            if !setup {
                continue;
            }
            let words = outcome_words(lang, Some(outcome), record.call.name(), |_| String::new());
            let mut line = t!(
                lang,
                "workspace-setup-failed",
                name = name.as_str(),
                call = record.call.text(),
                result = words.result
            );
            // Why, as the inspector says it: the errno explained.
            if let crate::engine::Outcome::Errno(code) = outcome {
                let why = crate::engine::explain::errno_in(
                    lang,
                    *code,
                    &record.call,
                    record.context.as_ref(),
                );
                line.push_str(" — ");
                line.push_str(&why.text);
            }
            lines.push(line);
        }
        lines
    }
}

/// The path made absolute (from the current folder), without touching the file system's
/// links: the same file saved and opened compares equal.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

impl FileDialog {
    pub(super) fn new(purpose: Purpose, path: String) -> FileDialog {
        FileDialog {
            purpose,
            path,
            error: None,
            browsing: None,
        }
    }

    /// Starts the native dialog on a thread of its own; the frame goes on.
    fn browse(&mut self, ctx: &egui::Context, lang: Lang) {
        let (sender, receiver) = crossbeam_channel::bounded(1);
        let purpose = self.purpose;
        let title = match purpose {
            Purpose::Open => t!(lang, "workspace-open-title"),
            Purpose::Save => t!(lang, "workspace-save-title"),
        };
        let ctx = ctx.clone();
        let started = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(title)
                    .add_filter("TOML", &["toml"]);
                let chosen = match purpose {
                    Purpose::Open => pollster::block_on(dialog.pick_file()),
                    Purpose::Save => pollster::block_on(dialog.save_file()),
                };
                let _ = sender.send(chosen.map(|file| file.path().to_path_buf()));
                ctx.request_repaint();
            });
        match started {
            Ok(_) => self.browsing = Some(receiver),
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// The native dialog's answer, once it came.
    fn poll(&mut self) {
        let Some(receiver) = &self.browsing else {
            return;
        };
        match receiver.try_recv() {
            Ok(Some(path)) => {
                self.path = path.display().to_string();
                self.browsing = None;
            }
            Ok(None) | Err(crossbeam_channel::TryRecvError::Disconnected) => self.browsing = None,
            Err(crossbeam_channel::TryRecvError::Empty) => {}
        }
    }
}

impl WorkbenchApp {
    /// The toolbar's Workspace menu.
    pub(super) fn workspace_menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.remembered.language;
        let menu = ui.menu_button(t!(lang, "workspace-menu"), |ui| {
            if ui
                .button(t!(lang, "workspace-new"))
                .on_hover_text(t!(lang, "workspace-new-tip"))
                .clicked()
            {
                self.new_workspace();
                ui.close();
            }
            if ui.button(t!(lang, "workspace-open")).clicked() {
                self.workspace.dialog = Some(FileDialog::new(Purpose::Open, String::new()));
                ui.close();
            }
            let file = self.workspace.file.clone();
            if ui
                .button(t!(lang, "workspace-save"))
                .on_hover_text(match &file {
                    Some(path) => t!(
                        lang,
                        "workspace-save-tip",
                        file = path.display().to_string()
                    ),
                    None => t!(lang, "workspace-save-as-tip"),
                })
                .clicked()
            {
                match file.clone() {
                    Some(path) => {
                        if let Err(error) = self.save_workspace(&path) {
                            self.workspace.said = Some((true, error));
                        }
                    }
                    None => {
                        self.workspace.dialog =
                            Some(FileDialog::new(Purpose::Save, "workspace.toml".into()))
                    }
                }
                ui.close();
            }
            if ui
                .button(t!(lang, "workspace-save-as"))
                .on_hover_text(t!(lang, "workspace-save-as-tip"))
                .clicked()
            {
                let path = file
                    .map(|path| path.display().to_string())
                    .unwrap_or_default();
                self.workspace.dialog = Some(FileDialog::new(Purpose::Save, path));
                ui.close();
            }
            ui.separator();
            ui.checkbox(
                &mut self.remembered.restore_last_workspace,
                t!(lang, "workspace-restore-last"),
            )
            .on_hover_text(t!(lang, "workspace-restore-last-tip"));
        });
        menu.response.on_hover_text(t!(lang, "workspace-menu-tip"));
    }

    /// The Open / Save dialog, the consent, and what the last opening said.
    pub(super) fn workspace_dialogs_ui(&mut self, ui: &mut egui::Ui) {
        self.finish_restoring();
        self.file_dialog_ui(ui);
        self.consent_ui(ui);
    }

    fn file_dialog_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.remembered.language;
        let Some(dialog) = &mut self.workspace.dialog else {
            return;
        };
        dialog.poll();
        let mut answer: Option<bool> = None;
        let title = match dialog.purpose {
            Purpose::Open => t!(lang, "workspace-open-title"),
            Purpose::Save => t!(lang, "workspace-save-title"),
        };
        let act = match dialog.purpose {
            Purpose::Open => t!(lang, "workspace-open-button"),
            Purpose::Save => t!(lang, "workspace-save-button"),
        };
        egui::Modal::new(egui::Id::unique("workspace_file_dialog")).show(ui.ctx(), |ui| {
            ui.heading(&title);
            ui.horizontal(|ui| {
                let label = ui.label(t!(lang, "workspace-file"));
                let field = ui
                    .add(egui::TextEdit::singleline(&mut dialog.path).desired_width(420.0))
                    .labelled_by(label.id);
                if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                    answer = Some(true);
                }
                let browse = ui
                    .add_enabled(
                        dialog.browsing.is_none(),
                        egui::Button::new(t!(lang, "workspace-browse")),
                    )
                    .on_hover_text(t!(lang, "workspace-browse-tip"));
                if browse.clicked() {
                    dialog.browse(ui.ctx(), lang);
                }
            });
            if dialog.browsing.is_some() {
                ui.label(t!(lang, "workspace-browsing"));
            }
            if let Some(error) = &dialog.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.horizontal(|ui| {
                if ui.button(&act).clicked() {
                    answer = Some(true);
                }
                if ui.button(t!(lang, "workspace-cancel")).clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(false) => self.workspace.dialog = None,
            Some(true) => self.answer_file_dialog(),
            None => {}
        }
    }

    fn answer_file_dialog(&mut self) {
        let lang = self.remembered.language;
        let Some(dialog) = &self.workspace.dialog else {
            return;
        };
        let typed = dialog.path.trim().to_string();
        let purpose = dialog.purpose;
        if typed.is_empty() {
            if let Some(dialog) = &mut self.workspace.dialog {
                dialog.error = Some(t!(lang, "workspace-no-file"));
            }
            return;
        }
        let path = PathBuf::from(&typed);
        let result = match purpose {
            Purpose::Open => self.open_workspace(&path),
            Purpose::Save => self.save_workspace(&path),
        };
        match result {
            Ok(()) => self.workspace.dialog = None,
            Err(error) => {
                if let Some(dialog) = &mut self.workspace.dialog {
                    dialog.error = Some(error);
                }
            }
        }
    }

    fn consent_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.remembered.language;
        let Some(pending) = &self.workspace.consent else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("workspace_consent")).show(ui.ctx(), |ui| {
            ui.heading(t!(lang, "consent-title"));
            ui.label(t!(
                lang,
                "consent-intro",
                file = pending
                    .path
                    .as_ref()
                    .map(|path| path.display().to_string())
                    .unwrap_or_default()
            ));
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for reach in &pending.reaches {
                        ui.label(format!("• {}", reach.text(lang)));
                    }
                });
            ui.label(t!(lang, "consent-question"));
            ui.horizontal(|ui| {
                if ui.button(t!(lang, "consent-run")).clicked() {
                    answer = Some(true);
                }
                if ui.button(t!(lang, "consent-do-not-run")).clicked() {
                    answer = Some(false);
                }
            });
        });
        if let Some(yes) = answer {
            self.answer_consent(yes);
        }
    }

    /// What the last opening or saving said, until dismissed.
    pub(super) fn workspace_report_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.remembered.language;
        if self.workspace.report.is_empty() && self.workspace.said.is_none() {
            return;
        }
        let mut dismissed = false;
        egui::Panel::bottom("workspace_report").show(ui, |ui| {
            if let Some((is_error, text)) = &self.workspace.said {
                if *is_error {
                    ui.colored_label(ui.visuals().error_fg_color, text);
                } else {
                    ui.label(text);
                }
            }
            if !self.workspace.report.is_empty() {
                ui.strong(t!(lang, "workspace-restored-partly"));
                for line in &self.workspace.report {
                    ui.label(format!("• {line}"));
                }
            }
            if ui.button(t!(lang, "workspace-dismiss")).clicked() {
                dismissed = true;
            }
        });
        if dismissed {
            self.workspace.report.clear();
            self.workspace.said = None;
        }
    }
}
