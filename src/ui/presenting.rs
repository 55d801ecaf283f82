//! Scripts and lessons in the window: the [`Presentation`] state (the running script, the
//! lessons panel, blanking and full screen, the presenter stage), the window's methods that
//! load, run and follow a script, and the script panel with its step buttons and keys.
//!
//! The presenter layout itself is drawn in `stage`.

use super::scenario::ScenarioRun;
use super::{WorkbenchApp, stage, start, theme, ui_text_size};
use crate::engine::SocketId;
use crate::i18n::Lang;
use crate::script::Script;
use crate::t;
use std::time::Instant;

/// What the window keeps for scripts and lessons, and for presenting them.
pub(super) struct Presentation {
    /// A script (scenario or lesson) running beside the window.
    pub(super) scenario: Option<ScenarioRun>,
    /// The sockets last arranged side by side for the scenario.
    pub(super) arranged: Vec<SocketId>,
    pub(super) lessons: Vec<crate::lessons::Lesson>,
    pub(super) show_lessons: bool,
    /// A teacher's own lesson file, as typed.
    pub(super) lesson_path: String,
    pub(super) lesson_error: Option<String>,
    /// B: the window shows nothing until B again.
    pub(super) blanked: bool,
    /// F5 / F11: full screen asked for.
    pub(super) full_screen: bool,
    /// The presenter layout is asked for (shown while a script is loaded).
    pub(super) present: bool,
    pub(super) stage: stage::Stage,
    /// Reset was asked for in the middle of a script: the confirm is shown.
    pub(super) confirm_reset: bool,
}

impl Presentation {
    /// No script loaded; the built-in lessons listed.
    pub(super) fn new() -> Self {
        Presentation {
            scenario: None,
            arranged: Vec::new(),
            lessons: crate::lessons::builtin(),
            show_lessons: false,
            lesson_path: String::new(),
            lesson_error: None,
            blanked: false,
            full_screen: false,
            present: false,
            stage: stage::Stage::new(),
            confirm_reset: false,
        }
    }

    /// B blanks the window (as a presentation program does) and shows it again; F5 or F11
    /// switches full screen. Not while a text field has the keyboard. True while blanked: the
    /// frame then shows nothing else.
    pub(super) fn presenter_keys(&mut self, ui: &mut egui::Ui) -> bool {
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
                        egui::RichText::new(t!(super::lang(ui.ctx()), "stage-blanked"))
                            .color(egui::Color32::from_gray(40)),
                    );
                });
        }
        self.blanked
    }
}

impl WorkbenchApp {
    /// Loads a script (scenario or lesson) to run step by step in the window, on the
    /// window's own sockets.
    pub fn open_script(&mut self, script: Script) {
        // A script before may have had its sockets made in a private network of its own.
        self.core.end_script_network();
        self.load_script(script);
    }

    fn load_script(&mut self, script: Script) {
        self.presentation.scenario = None;
        // On a projector the inspectors need the room; the toolbar brings the list back. A
        // script opened in projector mode is presented (its stage, large).
        if self.remembered.appearance.projector {
            self.show_sockets = false;
            self.presentation.present = true;
        }
        self.presentation.scenario = Some(ScenarioRun::start(
            script,
            &self.core,
            self.remembered.language,
        ));
        self.presentation.arranged.clear();
    }

    /// Closes the script's sockets and loads it again; then runs `steps` steps, if given.
    pub(super) fn restart_script(&mut self, steps: Option<usize>) {
        let Some(scenario) = self.presentation.scenario.take() else {
            return;
        };
        let mut sockets = scenario.sockets();
        let children: Vec<SocketId> = sockets
            .iter()
            .filter_map(|id| self.core.session().socket(*id))
            .flat_map(|view| view.children.clone())
            .collect();
        sockets.extend(children);
        self.core.close_and_discard(&sockets);
        let script = scenario.script.clone();
        drop(scenario);
        // Its private network, if it has one, stays for the restart.
        self.load_script(script);
        if let Some(steps) = steps
            && let Some(run) = &mut self.presentation.scenario
        {
            run.run_to(steps);
        }
    }

    /// Runs the loaded script's next step (in the background).
    pub fn run_next_step(&mut self) {
        if let Some(scenario) = &mut self.presentation.scenario {
            scenario.run_next();
        }
    }

    /// Runs the loaded script's first `count` steps (in the background).
    pub fn run_steps(&mut self, count: usize) {
        if let Some(scenario) = &mut self.presentation.scenario {
            scenario.run_to(count);
        }
    }

    /// Runs every remaining step of the loaded script (in the background).
    pub fn run_all_steps(&mut self) {
        if let Some(scenario) = &mut self.presentation.scenario {
            scenario.run_all();
        }
    }

    pub fn scenario(&self) -> Option<&ScenarioRun> {
        self.presentation.scenario.as_ref()
    }

    /// Advances the script (once per frame), then shows the sockets it asks for side by
    /// side and keeps the rename fields in step with the names it gave.
    pub(super) fn follow_scenario(&mut self, ctx: &egui::Context) {
        let Some(scenario) = &mut self.presentation.scenario else {
            return;
        };
        if let Some(until) = scenario.advance(&mut self.core, Instant::now()) {
            ctx.request_repaint_after(until.saturating_duration_since(Instant::now()));
        }
        // The script names its sockets in the session; the name fields follow (a field a
        // person emptied shows the default name only once they type again).
        let ours = scenario.sockets();
        for (socket, forms) in &mut self.inspectors.forms {
            if ours.binary_search(socket).is_err() {
                continue;
            }
            if let Some(view) = self.core.session().socket(*socket) {
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
        if !wanted.is_empty() && wanted != self.presentation.arranged {
            self.inspectors.arrange(
                &mut self.remembered.layout,
                &mut self.remembered.next_slot,
                &wanted,
            );
            self.presentation.arranged = wanted;
        }
    }

    /// The loaded script's panel: its steps, its narration, its controls, "open in browser".
    pub(super) fn scenario_panel(&mut self, ui: &mut egui::Ui) {
        if let Some(scenario) = &mut self.presentation.scenario {
            let urls: Vec<String> = scenario
                .http_servers(&self.core)
                .into_iter()
                .map(|local| format!("http://{}/", local.connect_address().field_text()))
                .collect();
            let mut action = ScenarioAction::None;
            egui::Panel::top("scenario_panel").show(ui, |ui| {
                action = scenario_panel_ui(ui, scenario);
                let lang = super::lang(ui.ctx());
                for url in &urls {
                    ui.horizontal_wrapped(|ui| {
                        if ui
                            .button(t!(lang, "script-open-in-browser"))
                            .on_hover_text(t!(lang, "script-open-in-browser-tip"))
                            .clicked()
                        {
                            ui.ctx().open_url(egui::OpenUrl::new_tab(url));
                        }
                        ui.label(t!(lang, "script-url-or-terminal", url = url.as_str()));
                        ui.monospace(format!("curl -v {url}"));
                    });
                }
            });
            self.apply_scenario_action(action);
        }
    }

    /// Does what the person asked of the running script (from its panel or the stage).
    pub(super) fn apply_scenario_action(&mut self, action: ScenarioAction) {
        match action {
            ScenarioAction::None => {}
            ScenarioAction::Close => {
                self.presentation.scenario = None;
                // New sockets from here are the person's own, in the machine's network (or in
                // the private one they asked for).
                self.core.end_script_network();
            }
            // Mid-lesson, a Reset meant for a button beside it would lose the class's place:
            // it asks first.
            ScenarioAction::Reset
                if self
                    .presentation
                    .scenario
                    .as_ref()
                    .is_some_and(|run| run.current.is_some()) =>
            {
                self.presentation.confirm_reset = true;
            }
            ScenarioAction::Reset => self.restart_script(None),
            ScenarioAction::First => self.restart_script(Some(1)),
            ScenarioAction::Previous => {
                let steps_before = self
                    .presentation
                    .scenario
                    .as_ref()
                    .and_then(|run| run.current)
                    .unwrap_or(0);
                self.restart_script(Some(steps_before));
            }
        }
    }

    /// Asks before Reset starts a script again from nothing.
    pub(super) fn confirm_reset_ui(&mut self, ui: &mut egui::Ui) {
        if !self.presentation.confirm_reset {
            return;
        }
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm_reset")).show(ui.ctx(), |ui| {
            let lang = super::lang(ui.ctx());
            ui.heading(t!(lang, "script-reset-question"));
            ui.label(t!(lang, "script-reset-explained"));
            ui.horizontal(|ui| {
                if ui.button(t!(lang, "script-reset-yes")).clicked() {
                    answer = Some(true);
                }
                if ui.button(t!(lang, "script-reset-no")).clicked()
                    || ui.input(|input| input.key_pressed(egui::Key::Escape))
                {
                    answer = Some(false);
                }
            });
        });
        if let Some(again) = answer {
            self.presentation.confirm_reset = false;
            if again {
                self.restart_script(None);
            }
        }
    }

    /// Loads a lesson (or a teacher's file) into the window, closing the running one.
    pub fn open_lesson(&mut self, lesson: &crate::lessons::Lesson) {
        match &lesson.script {
            Ok(script) => {
                if self.presentation.scenario.is_some() {
                    self.restart_script(None);
                }
                self.open_script(script.clone());
                // The lesson opens on its own sockets: the inspectors show them as its steps
                // make them, not what was there before.
                self.inspectors.shown.clear();
                self.inspectors.selected = None;
                self.presentation.lesson_error = None;
                self.presentation.show_lessons = false;
                start::remember(
                    &mut self.remembered.recent,
                    start::RecentScript {
                        title: lesson.title.get(self.remembered.language).to_string(),
                        file_name: lesson.file_name.clone(),
                    },
                );
            }
            Err(error) => self.presentation.lesson_error = Some(error.clone()),
        }
    }

    /// Whether B has blanked the window.
    pub fn is_blanked(&self) -> bool {
        self.presentation.blanked
    }

    /// Whether F5 / F11 asked for full screen.
    pub fn is_full_screen(&self) -> bool {
        self.presentation.full_screen
    }

    /// The built-in lessons.
    pub fn lessons(&self) -> &[crate::lessons::Lesson] {
        &self.presentation.lessons
    }

    pub(super) fn lessons_panel_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.remembered.language;
        ui.heading(t!(lang, "lessons-heading"));
        ui.weak(t!(lang, "lessons-explained"));
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .id_salt("lessons_scroll")
            .max_height((ui.available_height() - 120.0).max(ui.available_height() * 0.6))
            .show(ui, |ui| {
                for (index, lesson) in self.presentation.lessons.iter().enumerate() {
                    let response = ui
                        .add(
                            egui::Button::new(egui::RichText::new(lesson.title.get(lang)).strong())
                                .frame(false),
                        )
                        .on_hover_text(&lesson.file_name);
                    if response.clicked() {
                        chosen = Some(index);
                    }
                    if !lesson.summary.is_empty() {
                        ui.weak(lesson.summary.get(lang));
                    }
                    if let Err(error) = &lesson.script {
                        ui.colored_label(theme::error_color(ui.visuals()), error);
                    }
                    ui.add_space(4.0);
                }
            });
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "lessons-file"));
            ui.add(
                egui::TextEdit::singleline(&mut self.presentation.lesson_path).desired_width(200.0),
            )
            .labelled_by(label.id);
            if ui
                .button(t!(lang, "lessons-open-file"))
                .on_hover_text(t!(lang, "lessons-open-file-tip"))
                .clicked()
            {
                let lesson = crate::lessons::load_file(std::path::Path::new(
                    self.presentation.lesson_path.trim(),
                ));
                self.open_lesson(&lesson);
            }
        });
        if let Some(error) = &self.presentation.lesson_error {
            ui.colored_label(
                theme::error_color(ui.visuals()),
                egui::RichText::new(error).monospace(),
            );
        }
        if let Some(index) = chosen
            && let Some(lesson) = self.presentation.lessons.get(index).cloned()
        {
            self.open_lesson(&lesson);
        }
    }
}

/// What the person asked of the running script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScenarioAction {
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
    let lang = super::lang(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        ui.heading(scenario.title.get(lang));
        // A teacher's file in one language: said once, here, not under every step.
        if !speaks(scenario, lang) {
            ui.weak(t!(lang, "script-other-language"))
                .on_hover_text(t!(lang, "script-other-language-tip"));
        }
        let progress = match scenario.current {
            None => t!(lang, "script-steps", count = total),
            Some(step) => t!(lang, "script-step-of", step = step + 1, count = total),
        };
        ui.label(progress);
        action = step_buttons_ui(ui, scenario, true);
        if scenario.running {
            ui.colored_label(
                theme::pending_color(ui.visuals()),
                t!(lang, "script-running"),
            );
        } else if scenario.finished {
            ui.colored_label(theme::ok_color(ui.visuals()), t!(lang, "script-finished"));
        }
        if ui.button(t!(lang, "script-close")).clicked() {
            action = ScenarioAction::Close;
        }
    });
    let narration_size = ui_text_size(ui) * 1.35;
    let shown_step = scenario.current.or(if total > 0 { Some(0) } else { None });
    // The narration never takes the workbench's room: a long one scrolls (the stage shows
    // it whole).
    let most = (ui.ctx().content_rect().height() * 0.14).max(narration_size * 2.6);
    egui::ScrollArea::vertical()
        .id_salt("scenario_narration")
        .max_height(most)
        .show(ui, |ui| {
            if scenario.current.is_none()
                && let Some(intro) = &scenario.intro
            {
                ui.label(egui::RichText::new(intro.get(lang).trim()).size(narration_size));
            }
            if let Some(say) = shown_step
                .and_then(|step| scenario.steps.get(step))
                .and_then(|step| step.say.as_ref())
            {
                let say = say.get(lang).trim();
                let text = if scenario.current.is_none() {
                    t!(lang, "script-next-say", say = say)
                } else {
                    say.to_string()
                };
                ui.label(egui::RichText::new(text).size(narration_size));
            }
        });
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
            egui::CollapsingHeader::new(t!(
                lang,
                "script-step-calls",
                step = shown_step.map_or(0, |s| s + 1)
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
            egui::CollapsingHeader::new(t!(lang, "script-timeline-text"))
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

/// Whether the script's own words (title, introduction, narration) exist in `lang`, rather
/// than falling back to its other language.
fn speaks(scenario: &ScenarioRun, lang: Lang) -> bool {
    let texts = std::iter::once(&scenario.title)
        .chain(scenario.intro.as_ref())
        .chain(scenario.steps.iter().filter_map(|step| step.say.as_ref()));
    texts
        .filter(|text| !text.is_empty())
        .all(|text| text.has(lang))
}

/// Previous step, Next step, (Run all steps,) Reset: what the script panel and the presenter
/// bar both offer.
pub(super) fn step_buttons_ui(
    ui: &mut egui::Ui,
    scenario: &mut ScenarioRun,
    run_all: bool,
) -> ScenarioAction {
    let mut action = ScenarioAction::None;
    let lang = super::lang(ui.ctx());
    let can_run = !scenario.running && !scenario.finished;
    if ui
        .add_enabled(
            !scenario.running && scenario.current.is_some(),
            egui::Button::new(t!(lang, "script-previous-step")),
        )
        .on_hover_text(t!(lang, "script-previous-step-tip"))
        .clicked()
    {
        action = ScenarioAction::Previous;
    }
    if ui
        .add_enabled(can_run, egui::Button::new(t!(lang, "script-next-step")))
        .on_hover_text(t!(lang, "script-next-step-tip"))
        .clicked()
    {
        scenario.run_next();
    }
    if run_all
        && ui
            .add_enabled(can_run, egui::Button::new(t!(lang, "script-run-all")))
            .clicked()
    {
        scenario.run_all();
    }
    if ui
        .add_enabled(
            !scenario.running,
            egui::Button::new(t!(lang, "script-reset")),
        )
        .on_hover_text(t!(lang, "script-reset-tip"))
        .clicked()
    {
        action = ScenarioAction::Reset;
    }
    action
}

/// Presentation clickers send PageDown / PageUp; keyboards also Right / Left / Space, and
/// Home / End for the first and the last step. Not while a text field has the keyboard.
pub(super) fn scenario_keys(ui: &egui::Ui, scenario: &mut ScenarioRun) -> ScenarioAction {
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
