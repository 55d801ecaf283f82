//! The presenter layout (PRODUCT part 10): a script open in projector mode (or with
//! "Present" on) shows what its current step puts on stage, large, under the narration.
//!
//! Top to bottom: a bar with only what a presenter needs (step n of m, previous / next, reset,
//! zoom, leave), the narration in large type (its size shrinks until it takes at most a third
//! of the window), the stage views filling the rest, and the script's sockets reduced to one
//! header each at the bottom; a click on one opens its whole inspector beside the stage.
//!
//! The stage is divided by [`stage_rects`]: every view gets a rectangle of its own and draws
//! only inside it (clipped, scrolling if it must), so no view is drawn over another.

use super::inspector::InspectorTiles;
use super::presenting::{ScenarioAction, scenario_keys, step_buttons_ui};
use super::scenario::ScenarioRun;
use super::{Intent, WorkbenchApp, theme};
use crate::engine::SocketId;
use crate::engine::command::bytes_literal_short;
use crate::i18n::Lang;
use crate::script::StageView;
use crate::session::{ChunkKind, Session, SocketView};
use crate::t;
use egui::{Rect, pos2, vec2};
use std::collections::HashSet;

/// The narration takes at most this part of the window's height before it scrolls.
const NARRATION_SHARE: f32 = 0.25;
/// In a window shorter than this (points) the narration gets less and the socket headers
/// go, so the stage keeps some room; nothing is then promised to fit, only not to overlap.
const SMALL_WINDOW_HEIGHT: f32 = 400.0;
/// Below this the stage shows nothing but how to make room.
const MIN_STAGE: egui::Vec2 = egui::vec2(120.0, 60.0);
/// Space between stage views.
const GAP: f32 = 8.0;

/// One view on stage, its sockets found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OnStage {
    Timeline(super::timeline::StageFocus),
    Kernel(SocketId),
    Received(SocketId),
    /// The system table, only the rows with these ports.
    System(Vec<u16>),
    /// The Python of the log from this position on, of these sockets.
    Python {
        from: usize,
        sockets: Vec<SocketId>,
    },
    /// The call table, of the script's sockets only.
    Calls(Vec<SocketId>),
    /// The wire's segment table.
    Wire,
}

impl OnStage {
    fn title(&self, lang: Lang, session: &Session, step: usize) -> String {
        let step = step + 1;
        match self {
            OnStage::Timeline(_) => t!(lang, "stage-timeline-title", step = step),
            OnStage::Kernel(socket) => {
                t!(
                    lang,
                    "stage-kernel-title",
                    socket = session.socket_name(*socket).to_string()
                )
            }
            OnStage::Received(socket) => {
                t!(
                    lang,
                    "stage-received-title",
                    socket = session.socket_name(*socket).to_string()
                )
            }
            OnStage::System(ports) => {
                let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
                t!(lang, "stage-system-title", ports = ports.join(", "))
            }
            OnStage::Python { .. } => t!(lang, "stage-python-title", step = step),
            OnStage::Calls(_) => t!(lang, "stage-calls-title"),
            OnStage::Wire => t!(lang, "stage-wire-title"),
        }
    }
}

/// The presenter's own views (apart from the window's, so leaving the stage finds those as
/// they were).
pub struct Stage {
    timeline: super::TimelineView,
    system: super::SystemTableView,
    calls: super::CallTable,
    wire: super::WireView,
    /// The socket whose inspector is open beside the stage.
    pub inspector: Option<SocketId>,
    /// Show the next step's narration, small, under the current one.
    pub preview: bool,
}

impl Default for Stage {
    fn default() -> Self {
        Stage::new()
    }
}

impl Stage {
    pub fn new() -> Self {
        Stage {
            timeline: super::TimelineView::new(),
            system: super::SystemTableView::new(),
            calls: super::CallTable::new(),
            wire: super::WireView::new(),
            inspector: None,
            preview: false,
        }
    }

    /// The stage timeline as last drawn (for tests).
    pub fn timeline(&self) -> &super::TimelineView {
        &self.timeline
    }
}

/// The step the stage shows: the one running or last run, else the first.
pub(crate) fn shown_step(scenario: &ScenarioRun) -> usize {
    scenario.current.unwrap_or(0)
}

/// The script's sockets in lane order (listeners followed by their connections).
fn script_lanes(scenario: &ScenarioRun, session: &Session) -> Vec<SocketId> {
    let ours: HashSet<SocketId> = scenario.sockets().into_iter().collect();
    super::timeline::lane_order(session)
        .into_iter()
        .filter(|socket| ours.contains(socket))
        .collect()
}

/// What the current step puts on stage, with its socket names found (views of sockets not
/// made yet are left out).
pub(crate) fn resolve(lang: Lang, scenario: &ScenarioRun, session: &Session) -> Vec<OnStage> {
    let step = shown_step(scenario);
    let step_from = scenario
        .step_mark(step)
        .map_or(session.log_len(), |mark| session.log_position(mark));
    let socket = |name: &String| scenario.socket_named(name);
    scenario
        .stage_of(step)
        .iter()
        .filter_map(|view| match view {
            StageView::Timeline(names) => {
                let lanes = if names.is_empty() {
                    script_lanes(scenario, session)
                } else {
                    names.iter().filter_map(socket).collect()
                };
                let step_starts = (0..=step)
                    .filter_map(|index| {
                        let mark = scenario.step_mark(index)?;
                        Some((
                            session.log_position(mark),
                            t!(lang, "stage-step-mark", step = index + 1),
                        ))
                    })
                    .collect();
                Some(OnStage::Timeline(super::timeline::StageFocus {
                    lanes,
                    step_from,
                    step_starts,
                }))
            }
            // Gauges of a socket closed before the kernel was asked would show nothing.
            StageView::Kernel(name) => socket(name)
                .filter(|id| {
                    session
                        .socket(*id)
                        .is_some_and(|view| !view.closed || view.kernel.is_some())
                })
                .map(OnStage::Kernel),
            StageView::Received(name) => socket(name).map(OnStage::Received),
            StageView::System => {
                let mut ports: Vec<u16> = scenario
                    .sockets()
                    .into_iter()
                    .filter_map(|id| session.socket(id))
                    .filter_map(|view| view.local.as_ref().and_then(|local| local.port()))
                    .filter(|port| *port != 0)
                    .collect();
                ports.sort_unstable();
                ports.dedup();
                Some(OnStage::System(ports))
            }
            StageView::Python => Some(OnStage::Python {
                from: step_from,
                sockets: scenario.sockets(),
            }),
            StageView::Calls => Some(OnStage::Calls(scenario.sockets())),
            StageView::Wire => Some(OnStage::Wire),
        })
        .collect()
}

/// Divides `area` among `count` views; the first is the timeline when `timeline_first`. The
/// timeline takes the larger part (left on a wide area, top on a tall one), the others share
/// the rest; without a timeline the views form a grid. Rectangles never overlap.
pub(crate) fn stage_rects(area: Rect, count: usize, timeline_first: bool) -> Vec<Rect> {
    if count == 0 {
        return Vec::new();
    }
    if count == 1 {
        return vec![area];
    }
    let wide = area.width() >= area.height() * 1.3;
    if timeline_first {
        let rest = count - 1;
        let (main, others) = if wide {
            let split = area.left() + area.width() * 0.62;
            (
                Rect::from_min_max(area.min, pos2(split - GAP * 0.5, area.bottom())),
                Rect::from_min_max(pos2(split + GAP * 0.5, area.top()), area.max),
            )
        } else {
            let split = area.top() + area.height() * 0.6;
            (
                Rect::from_min_max(area.min, pos2(area.right(), split - GAP * 0.5)),
                Rect::from_min_max(pos2(area.left(), split + GAP * 0.5), area.max),
            )
        };
        let mut rects = vec![main];
        // Beside a wide timeline the others are stacked; under a tall one they share a row.
        rects.extend(split_even(others, rest, !wide));
        return rects;
    }
    let columns = if wide {
        count.div_ceil(2).min(3)
    } else {
        1 + usize::from(count > 3)
    };
    let rows = count.div_ceil(columns);
    let row_rects = split_even(area, rows, false);
    let mut rects = Vec::with_capacity(count);
    for (row, rect) in row_rects.into_iter().enumerate() {
        let in_row = (count - row * columns).min(columns);
        rects.extend(split_even(rect, in_row, true));
    }
    rects
}

/// `count` equal parts of `area`, side by side (`across`) or stacked, `GAP` apart.
fn split_even(area: Rect, count: usize, across: bool) -> Vec<Rect> {
    let count = count.max(1);
    let gaps = GAP * (count - 1) as f32;
    (0..count)
        .map(|index| {
            let index = index as f32;
            if across {
                let width = (area.width() - gaps) / count as f32;
                let left = area.left() + index * (width + GAP);
                Rect::from_min_size(pos2(left, area.top()), vec2(width, area.height()))
            } else {
                let height = (area.height() - gaps) / count as f32;
                let top = area.top() + index * (height + GAP);
                Rect::from_min_size(pos2(area.left(), top), vec2(area.width(), height))
            }
        })
        .collect()
}

/// The narration's text size: large, smaller for a long narration, so it takes at most
/// `max_height` points (never below the body size).
/// Also whether it fits at that size.
fn narration_size(ui: &egui::Ui, text: &str, max_height: f32) -> (f32, bool) {
    let body = super::ui_text_size(ui);
    let mut size = body * 1.6;
    loop {
        if narration_height(ui, text, size) <= max_height {
            return (size, true);
        }
        if size <= body {
            return (body, false);
        }
        size = (size - body * 0.1).max(body);
    }
}

/// How tall the narration is at this text size, wrapped to the panel's width.
fn narration_height(ui: &egui::Ui, text: &str, size: f32) -> f32 {
    // Room for a scroll bar, so the text wraps the same with or without one.
    let width = ui.available_width() - ui.spacing().scroll.bar_width - 8.0;
    ui.painter()
        .layout(
            text.to_string(),
            egui::FontId::proportional(size),
            egui::Color32::WHITE,
            width,
        )
        .size()
        .y
}

/// The presenter's bar: the script, step n of m, the step buttons, zoom and leaving.
fn presenter_bar_ui(
    ui: &mut egui::Ui,
    scenario: &mut ScenarioRun,
    appearance: &mut theme::Appearance,
    stage: &mut Stage,
) -> (ScenarioAction, bool, bool) {
    let mut action = ScenarioAction::None;
    let mut zoom_changed = false;
    let mut leave = false;
    let total = scenario.steps.len();
    let lang = super::lang(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        let mut progress = match scenario.current {
            None => t!(lang, "script-steps", count = total),
            Some(step) => t!(lang, "script-step-of", step = step + 1, count = total),
        };
        if scenario.running {
            progress.push_str(&t!(lang, "stage-progress-running"));
        } else if scenario.finished {
            progress.push_str(&t!(lang, "stage-progress-finished"));
        }
        // As wide as the widest it can read, so the buttons after it never move.
        let widest = t!(lang, "script-step-of", step = total, count = total)
            + &t!(lang, "stage-progress-finished");
        let font = egui::TextStyle::Body.resolve(ui.style());
        let width = ui.fonts_mut(|fonts| {
            fonts
                .layout_no_wrap(widest, font, egui::Color32::WHITE)
                .size()
                .x
        }) + 8.0;
        ui.add_sized(
            [width, ui.spacing().interact_size.y],
            egui::Label::new(egui::RichText::new(progress).strong()),
        );
        action = step_buttons_ui(ui, scenario, false);
        ui.toggle_value(&mut stage.preview, t!(lang, "stage-preview"))
            .on_hover_text(t!(lang, "stage-preview-tip"));
        if ui
            .button("−")
            .on_hover_text(t!(lang, "zoom-out-tip"))
            .clicked()
        {
            zoom_changed |= appearance.zoom_out();
        }
        ui.label(appearance.zoom_text());
        if ui
            .button("+")
            .on_hover_text(t!(lang, "zoom-in-tip"))
            .clicked()
        {
            zoom_changed |= appearance.zoom_in();
        }
        if ui
            .button(t!(lang, "stage-leave"))
            .on_hover_text(t!(lang, "stage-leave-tip"))
            .clicked()
        {
            leave = true;
        }
    });
    (action, zoom_changed, leave)
}

/// The narration of the step shown (the intro before the first), the failures, and the next
/// step's narration when the preview is on.
/// Where the narration's text size of the last frame is kept.
fn narration_size_id() -> egui::Id {
    egui::Id::unique("stage narration size")
}

/// The narration's text size in the last frame the stage was drawn (for tests).
pub fn narration_text_size(ctx: &egui::Context) -> Option<f32> {
    ctx.data(|data| data.get_temp(narration_size_id()))
}

/// The narration shown before any step has run (`None`: the introduction, then step 1's text)
/// or at a step.
fn narration_text(lang: Lang, scenario: &ScenarioRun, step: Option<usize>) -> String {
    let mut text = String::new();
    if step.is_none()
        && let Some(intro) = &scenario.intro
    {
        text.push_str(intro.get(lang).trim());
    }
    let say = scenario
        .steps
        .get(step.unwrap_or(0))
        .and_then(|view| view.say.as_ref());
    if let Some(say) = say {
        let say = say.get(lang).trim();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        if step.is_none() {
            text.push_str(&t!(lang, "script-next-say", say = say));
        } else {
            text.push_str(say);
        }
    }
    text
}

fn narration_ui(ui: &mut egui::Ui, scenario: &ScenarioRun, preview: bool, max_height: f32) {
    let step = scenario.current;
    let lang = super::lang(ui.ctx());
    let text = narration_text(lang, scenario, step);
    ui.label(
        egui::RichText::new(scenario.title.get(lang))
            .color(theme::muted_color(ui.visuals()))
            .strong(),
    );
    // One size for the whole lesson (the one its longest narration fits at), so the text does
    // not jump between steps.
    let size = std::iter::once(None)
        .chain((0..scenario.steps.len()).map(Some))
        .map(|at| narration_size(ui, &narration_text(lang, scenario, at), max_height).0)
        .fold(f32::INFINITY, f32::min);
    ui.data_mut(|data| data.insert_temp(narration_size_id(), size));
    let fits = narration_height(ui, &text, size) <= max_height;
    let narration = egui::RichText::new(text).size(size);
    if fits {
        ui.label(narration);
    } else {
        // Only in a window too small for it even at the body size.
        egui::ScrollArea::vertical()
            .id_salt("stage_narration")
            .max_height(max_height)
            .min_scrolled_height(max_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                ui.label(narration);
            });
    }
    for failure in &scenario.failures {
        ui.colored_label(theme::error_color(ui.visuals()), failure);
    }
    if preview {
        let next = step.map_or(1, |step| step + 1);
        if let Some(say) = scenario.steps.get(next).and_then(|view| view.say.as_ref()) {
            let short: String = say.get(lang).trim().chars().take(160).collect();
            ui.label(
                egui::RichText::new(t!(lang, "stage-preview-next", step = next + 1, say = short))
                    .color(theme::muted_color(ui.visuals())),
            );
        }
    }
}

/// One header per script socket: its name and state; a click opens its inspector beside the
/// stage (a second click closes it).
fn socket_headers_ui(
    ui: &mut egui::Ui,
    session: &Session,
    sockets: &[SocketId],
    focused: &[SocketId],
    open: &mut Option<SocketId>,
) {
    let lang = super::lang(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        ui.weak(t!(lang, "stage-sockets"));
        let mut closed_earlier: Vec<&str> = Vec::new();
        for socket in sockets {
            let Some(view) = session.socket(*socket) else {
                continue;
            };
            if view.closed && !focused.contains(socket) && *open != Some(*socket) {
                closed_earlier.push(&view.name);
                continue;
            }
            let text = if super::listens_for_the_network(view) {
                egui::RichText::new(format!(
                    "{} · {} · {}",
                    view.name,
                    view.state.label(lang),
                    t!(lang, "address-reachable-from-network")
                ))
                .color(super::theme::warn_color(ui.visuals()))
            } else {
                egui::RichText::new(format!("{} · {}", view.name, view.state.label(lang)))
                    .color(super::calls::state_color(ui.visuals(), view.state))
            };
            let response = ui
                .selectable_label(*open == Some(*socket), text)
                .on_hover_text(header_tooltip(lang, view));
            if response.clicked() {
                *open = if *open == Some(*socket) {
                    None
                } else {
                    Some(*socket)
                };
            }
        }
        if !closed_earlier.is_empty() {
            ui.weak(t!(
                lang,
                "stage-closed-earlier",
                count = closed_earlier.len()
            ))
            .on_hover_text(closed_earlier.join(", "));
        }
    });
}

fn header_tooltip(lang: Lang, view: &SocketView) -> String {
    let local = view
        .local
        .as_ref()
        .map_or_else(|| t!(lang, "address-none-yet"), ToString::to_string);
    match &view.peer {
        Some(peer) => t!(
            lang,
            "stage-socket-tip-peer",
            local = local,
            peer = peer.to_string()
        ),
        None => t!(lang, "stage-socket-tip", local = local),
    }
}

/// The chunks a socket received, one line each, newest at the bottom.
fn received_ui(ui: &mut egui::Ui, view: &SocketView) {
    let lang = super::lang(ui.ctx());
    if view.chunks.is_empty() {
        ui.weak(t!(lang, "received-nothing-yet"));
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt(("stage_received", view.id.0))
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show(ui, |ui| {
            for chunk in &view.chunks {
                let text = match &chunk.kind {
                    ChunkKind::Data => {
                        let mut line = format!(
                            "{} B  {}",
                            chunk.data.len(),
                            bytes_literal_short(&chunk.data)
                        );
                        if let Some(real) = chunk.truncated_from {
                            line.push_str("  ");
                            line.push_str(&t!(lang, "received-datagram-cut", size = real));
                        }
                        if let Some(from) = &chunk.from {
                            line.push_str("  ");
                            line.push_str(&t!(lang, "received-from", from = from.to_string()));
                        }
                        line
                    }
                    ChunkKind::Eof => format!("0 B  b''  ({})", t!(lang, "received-end-of-stream")),
                    ChunkKind::AutoSample {
                        recv_calls,
                        recv_bytes,
                    } => t!(
                        lang,
                        "received-auto-sample",
                        calls = *recv_calls,
                        bytes = super::bytes_text(*recv_bytes)
                    ),
                };
                ui.label(egui::RichText::new(text).monospace());
            }
        });
}

/// The Python lines of the log from `from` on, of `sockets`.
fn python_ui(ui: &mut egui::Ui, session: &Session, from: usize, sockets: &[SocketId]) {
    let names = crate::codegen::python_names(session);
    let lines: Vec<String> = (from..session.log_len())
        .filter_map(|n| session.log_entry(n))
        .filter(|entry| sockets.contains(&entry.socket()))
        .map(|entry| super::code_view::entry_line(session, &names, entry))
        .collect();
    if lines.is_empty() {
        ui.weak(format!(
            "# {}",
            t!(super::lang(ui.ctx()), "stage-no-calls-yet")
        ));
        return;
    }
    egui::ScrollArea::both()
        .id_salt("stage_python")
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show(ui, |ui| {
            for line in lines {
                ui.add(egui::Label::new(egui::RichText::new(line).monospace()).extend());
            }
        });
}

/// The stage: every view the step puts on it, each in a rectangle of its own; the sockets whose
/// gauges are on stage go to `kernel_visible`.
fn stage_views_ui(
    ui: &mut egui::Ui,
    stage: &mut Stage,
    session: &Session,
    on_stage: &[OnStage],
    step: usize,
    now_us: u64,
    kernel_visible: &mut Vec<SocketId>,
) {
    let our_addresses = session.addresses_seen();
    let lang = super::lang(ui.ctx());
    egui::CentralPanel::default().show(ui, |ui| {
        let area = ui.available_rect_before_wrap();
        if area.width() < MIN_STAGE.x || area.height() < MIN_STAGE.y {
            ui.weak(t!(lang, "stage-no-room"));
            return;
        }
        let timeline_first = matches!(on_stage.first(), Some(OnStage::Timeline(_)));
        let rects = stage_rects(area, on_stage.len(), timeline_first);
        for (index, (view, rect)) in on_stage.iter().zip(rects).enumerate() {
            let title = view.title(lang, session, step);
            let mut cell = ui.new_child(
                egui::UiBuilder::new()
                    .max_rect(rect)
                    .id_salt(("stage_cell", index))
                    .layout(egui::Layout::top_down(egui::Align::Min)),
            );
            cell.set_clip_rect(rect.intersect(ui.clip_rect()));
            egui::Frame::group(cell.style()).show(&mut cell, |ui| {
                let inner = (rect.size() - vec2(14.0, 14.0)).max(egui::Vec2::ZERO);
                ui.set_min_size(inner);
                ui.set_max_size(inner);
                ui.strong(title);
                match view {
                    OnStage::Timeline(focus) => {
                        // A lesson that shows the wire says so where the arrows would be.
                        if let crate::session::wire::WireState::Unavailable(_) =
                            &session.wire().state
                        {
                            ui.colored_label(
                                theme::warn_color(ui.visuals()),
                                "The wire is not captured (this program lacks CAP_NET_RAW): \
                                 its segments would be drawn here. The Wire view says how to \
                                 grant it.",
                            );
                        }
                        stage.timeline.stage_ui(ui, session, now_us, focus.clone());
                    }
                    OnStage::Kernel(socket) => {
                        if let Some(view) = session.socket(*socket) {
                            kernel_visible.push(*socket);
                            egui::ScrollArea::vertical()
                                .id_salt(("stage_kernel", socket.0))
                                .auto_shrink([false, false])
                                .show(ui, |ui| super::kernel_gauges_compact_ui(ui, view, now_us));
                        }
                    }
                    OnStage::Received(socket) => {
                        if let Some(view) = session.socket(*socket) {
                            received_ui(ui, view);
                        }
                    }
                    OnStage::System(ports) => {
                        stage.system.set_ports(ports.clone());
                        stage.system.stage_ui(ui, our_addresses);
                    }
                    OnStage::Python { from, sockets } => {
                        python_ui(ui, session, *from, sockets);
                    }
                    OnStage::Calls(sockets) => {
                        stage.calls.show_only(Some(sockets));
                        stage.calls.ui(ui, session);
                    }
                    OnStage::Wire => stage.wire.table_only_ui(ui, session),
                }
            });
        }
        if on_stage.is_empty() {
            ui.weak(t!(lang, "stage-nothing"));
        }
    });
}

impl WorkbenchApp {
    /// Whether the window shows the presenter layout: a script is loaded and either projector
    /// mode or "Present" asked for it.
    pub fn presenting(&self) -> bool {
        self.presentation.scenario.is_some() && self.presentation.present
    }

    /// Switches the presenter layout on or off (it needs a loaded script to show).
    pub fn set_present(&mut self, on: bool) {
        self.presentation.present = on;
    }

    /// The presenter stage's state (its timeline, as last drawn, for tests).
    pub fn stage(&self) -> &Stage {
        &self.presentation.stage
    }

    /// Draws the presenter layout; the sockets whose gauges are on stage go to
    /// `kernel_visible` (refreshed like an inspector's).
    pub(super) fn presenter_ui(
        &mut self,
        ui: &mut egui::Ui,
        now_us: u64,
        now: std::time::Instant,
        intents: &mut Vec<Intent>,
        kernel_visible: &mut Vec<SocketId>,
    ) {
        let Some(scenario) = self.presentation.scenario.as_mut() else {
            return;
        };
        let screen_height = ui.ctx().content_rect().height();
        let small = screen_height < SMALL_WINDOW_HEIGHT;
        let narration_share = if small { 0.22 } else { NARRATION_SHARE };
        let mut action = ScenarioAction::None;
        let mut zoom_changed = false;
        let mut leave = false;
        egui::Panel::top("presenter_bar").show(ui, |ui| {
            (action, zoom_changed, leave) = presenter_bar_ui(
                ui,
                scenario,
                &mut self.remembered.appearance,
                &mut self.presentation.stage,
            );
        });
        egui::Panel::top("presenter_narration").show(ui, |ui| {
            narration_ui(
                ui,
                scenario,
                self.presentation.stage.preview,
                screen_height * narration_share,
            );
        });
        if action == ScenarioAction::None {
            action = scenario_keys(ui, scenario);
        }
        let session = self.core.session();
        let lanes = script_lanes(scenario, session);
        let step = shown_step(scenario);
        let on_stage = resolve(super::lang(ui.ctx()), scenario, session);
        if !small {
            // The step's own sockets (and every open one) get a header; the others, closed
            // in earlier steps, are counted so the strip stays one line.
            let focused: Vec<SocketId> = on_stage
                .iter()
                .flat_map(|view| match view {
                    OnStage::Timeline(focus) => focus.lanes.clone(),
                    OnStage::Kernel(socket) | OnStage::Received(socket) => vec![*socket],
                    _ => Vec::new(),
                })
                .collect();
            egui::Panel::bottom("presenter_sockets").show(ui, |ui| {
                socket_headers_ui(
                    ui,
                    session,
                    &lanes,
                    &focused,
                    &mut self.presentation.stage.inspector,
                );
            });
        }

        if let Some(socket) = self.presentation.stage.inspector
            && let Some(view) = session.socket(socket)
        {
            let mut behavior = InspectorTiles::for_inspector(
                session,
                &mut self.views,
                &mut self.inspectors,
                now_us,
                now,
                self.remembered.language,
            );
            let mut close = false;
            let width = ui.ctx().content_rect().width();
            egui::Panel::right("presenter_inspector")
                .resizable(true)
                .default_size(width * 0.42)
                .max_size(width * 0.7)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let lang = super::lang(ui.ctx());
                        ui.strong(t!(
                            lang,
                            "stage-inspector-title",
                            socket = view.name.as_str()
                        ));
                        if ui.button(t!(lang, "stage-inspector-close")).clicked() {
                            close = true;
                        }
                    });
                    behavior.inspector_ui(ui, u64::MAX - u64::from(socket.0), view);
                });
            intents.append(&mut behavior.intents);
            kernel_visible.append(&mut behavior.kernel_visible);
            if close {
                self.presentation.stage.inspector = None;
            }
        }

        let stage = &mut self.presentation.stage;
        stage.system.set_workbench_inodes(self.core.socket_inodes());
        stage.system.set_network_of(self.core.network_pid());
        stage_views_ui(ui, stage, session, &on_stage, step, now_us, kernel_visible);

        if zoom_changed {
            self.appearance_applied = None;
        }
        if leave {
            self.presentation.present = false;
        }
        self.apply_scenario_action(action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_overlap(rects: &[Rect]) {
        for (index, a) in rects.iter().enumerate() {
            for b in &rects[index + 1..] {
                let both = a.intersect(*b);
                assert!(
                    !(both.width() > 0.0 && both.height() > 0.0),
                    "{a:?} and {b:?} overlap"
                );
            }
        }
    }

    #[test]
    fn stage_views_share_the_area_without_overlapping() {
        let wide = Rect::from_min_size(pos2(0.0, 100.0), vec2(1200.0, 500.0));
        let tall = Rect::from_min_size(pos2(0.0, 100.0), vec2(500.0, 700.0));
        for area in [wide, tall] {
            for count in 1..=6 {
                for timeline_first in [true, false] {
                    let rects = stage_rects(area, count, timeline_first);
                    assert_eq!(rects.len(), count);
                    no_overlap(&rects);
                    for rect in &rects {
                        assert!(area.expand(0.01).contains_rect(*rect), "{rect:?} outside");
                        assert!(rect.width() > 80.0 && rect.height() > 80.0, "{rect:?}");
                    }
                }
            }
        }
        // The timeline gets the larger part.
        let rects = stage_rects(wide, 3, true);
        assert!(rects[0].area() > rects[1].area() + rects[2].area());
    }
}
