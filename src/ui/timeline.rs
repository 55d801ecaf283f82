//! The timeline (PRODUCT part 6): a ladder (sequence) diagram of all sockets, as in TCP
//! textbooks. One lane per socket (accepted connections right after their listener), time runs
//! down, each call is a bar from its start to its return, coloured by its result and labelled
//! (`recv(1024) -> b'hi'`, `connect(...) -> ECONNREFUSED`); a pending call is a bar that grows
//! live. Arrows go from each send to each recv that got its bytes (see
//! [`crate::session::timeline`]), with the byte count; a dropped datagram is a red X.
//!
//! Controls: Pause (freezes the picture at that moment), Follow live (keeps the newest time in
//! view), zoom in / zoom out / fit (also Ctrl + scroll), pan by dragging or scrolling
//! (Shift + scroll or a horizontal drag moves across lanes). A click on a bar shows the call's
//! details beside the diagram.
//!
//! Only what is visible is drawn: the visible time range is found by binary search over the log
//! (which is in start order); calls that started earlier but still overlap come from the index's
//! list of long calls and the sockets' pending calls. With more calls in view than can be
//! labelled, the calls are drawn as marks only (sampled), and the view says so.

mod rows;
mod wire;

use crate::codegen::{python_value, received_bytes};
use crate::engine::{Call, CallId, Outcome, SocketId, Value, errno};
use crate::i18n::{Lang, outcome_words};
use crate::session::timeline::{FlowIndex, LONG_CALL_US};
use crate::session::{CallRecord, LogEntry, Session, SocketView};
use crate::t;
use crate::ui::theme;
use egui::{
    Align2, Color32, CornerRadius, FontId, Id, Pos2, Rect, Role, Sense, Stroke, StrokeKind,
    TextStyle, Ui, UiBuilder, Vec2, WidgetInfo, pos2, vec2,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// Above this many log entries in the visible time range, calls are drawn as marks only.
pub const MAX_DETAILED_CALLS: usize = 3_000;
/// At most this many arrows are drawn per frame.
const MAX_ARROWS: usize = 3_000;
/// At most this many log entries before the visible range are looked at for short calls that
/// reach into it.
const LOOK_BACK: usize = 2_000;
/// In marks-only mode, at most this many log entries are looked at per frame.
const MAX_SAMPLED: usize = 20_000;
const MIN_US_PER_POINT: f64 = 0.05;
const MAX_US_PER_POINT: f64 = 10_000_000.0;
const DEFAULT_US_PER_POINT: f64 = 5_000.0;
const DETAILS_WIDTH: f32 = 380.0;
/// On stage a lane is at least this wide (points): a bar and a few letters of its label.
const STAGE_MIN_LANE: f32 = 56.0;
/// Repaint this often while a call grows live.
const LIVE_REPAINT: Duration = Duration::from_millis(100);

/// What the last frame drew (for tests and the status line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    /// Call bars (and automatic-summary bands) drawn.
    pub bars: usize,
    /// Arrows from a send to a recv drawn.
    pub arrows: usize,
    /// Dropped-datagram marks drawn.
    pub dropped: usize,
    /// Log entries in the visible time range.
    pub calls_in_view: usize,
    /// Calls were too many to label: drawn as marks only.
    pub marks_only: bool,
    /// Labels drawn inside the diagram (the others are elided: shown on hover).
    pub labels: usize,
    /// Segments of the wire drawn as arrows, and how many of them got their label.
    pub segments: usize,
    pub segment_labels: usize,
    /// Flood summaries of the wire drawn as bands.
    pub wire_bands: usize,
}

/// What the presenter stage's timeline shows: some sockets' lanes and one step, fitted to the
/// space (one row per call), with the earlier steps dimmed above it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageFocus {
    /// The lanes, left to right (none before the script has made a socket: a stage shows a
    /// script's own sockets only).
    pub lanes: Vec<SocketId>,
    /// The log position ([`Session::log_entry`]) of the step's first entry.
    pub step_from: usize,
    /// Where each step shown began (log position) and its label ("step 2"), for the
    /// separators.
    pub step_starts: Vec<(usize, String)>,
}

/// The ladder diagram and its settings.
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineView {
    /// Vertical scale: microseconds per point.
    pub us_per_point: f64,
    /// Keep the newest time in view.
    pub follow: bool,
    /// Width of one socket's lane, in points.
    pub lane_width: f32,
    /// Draw the wire's segments (when it has any).
    pub show_wire: bool,
    /// The time at the top of the diagram (µs since the engine started).
    #[serde(skip)]
    top_us: f64,
    /// Horizontal pan, in points.
    #[serde(skip)]
    x_offset: f32,
    /// Paused at this time: the picture is frozen there.
    #[serde(skip)]
    paused_at: Option<u64>,
    #[serde(skip)]
    selected: Option<CallId>,
    #[serde(skip)]
    fit_requested: bool,
    /// Until a person zooms, pans or presses fit: every call is kept in view, fitted, while
    /// they fit at the default scale or finer (then follow-live takes over at that scale).
    #[serde(skip)]
    auto_fit: bool,
    #[serde(skip)]
    stats: FrameStats,
    /// Bar rectangles of the last frame, by call (for tests).
    #[serde(skip)]
    bar_rects: HashMap<CallId, Rect>,
    /// Drawing for the stage this frame ([`TimelineView::stage_ui`]).
    #[serde(skip)]
    stage: Option<StageFocus>,
    /// The diagram's body (below the lane headers) in the last frame.
    #[serde(skip)]
    body: Rect,
    /// The lanes of the last frame, left to right.
    #[serde(skip)]
    lanes_drawn: Vec<SocketId>,
    /// On stage, each lane's width this frame (in `lanes_drawn` order).
    #[serde(skip)]
    stage_widths: Vec<f32>,
    /// The newest log entry follow-live last brought into view sideways (by log mark): a
    /// lane is panned to once per new call, so a person can still pan away between calls.
    #[serde(skip)]
    followed_mark: Option<u64>,
    /// What each call's label said in the last frame (for tests).
    #[serde(skip)]
    labels_shown: HashMap<CallId, String>,
}

impl Default for TimelineView {
    fn default() -> Self {
        TimelineView {
            us_per_point: DEFAULT_US_PER_POINT,
            follow: true,
            lane_width: 240.0,
            show_wire: true,
            top_us: 0.0,
            x_offset: 0.0,
            paused_at: None,
            selected: None,
            fit_requested: false,
            auto_fit: true,
            stats: FrameStats::default(),
            bar_rects: HashMap::new(),
            stage: None,
            body: Rect::NOTHING,
            lanes_drawn: Vec::new(),
            stage_widths: Vec::new(),
            followed_mark: None,
            labels_shown: HashMap::new(),
        }
    }
}

/// One lane's place.
struct Lane {
    left: f32,
    width: f32,
    /// Bottom of the last label drawn in it (labels never overlap).
    label_bottom: f32,
    /// Where its labels went this frame (arrow labels are placed beside them, not on them).
    label_rects: Vec<Rect>,
    /// Its call labels, painted after the arrows on a backing so an arrow never crosses text.
    labels: Vec<(Pos2, std::sync::Arc<egui::Galley>, Color32)>,
    /// On stage, labels shortened to the lane's width: they may take room to the right where
    /// no other bar or label is ([`BarContext::widen_cut_labels`]).
    cut_labels: Vec<CutLabel>,
    /// What each call's label says this frame (for tests).
    shown: Vec<(CallId, String)>,
    /// The latest call label placed in it, which a later one may replace on stage.
    last_label: Option<LastLabel>,
}

/// The latest call label of a lane: whether it tells of a failure, and the lane's label lists
/// as they were before it.
struct LastLabel {
    notable: bool,
    label_bottom_before: f32,
    lengths_before: [usize; 4],
}

impl Lane {
    fn label_lengths(&self) -> [usize; 4] {
        [
            self.labels.len(),
            self.label_rects.len(),
            self.shown.len(),
            self.cut_labels.len(),
        ]
    }

    /// On stage, rows can be closer than a line of text: a label at `y` that would overlap
    /// the lane's latest one takes its place (the step ends with the later call), unless the
    /// latest tells of a failure and the new one does not.
    fn give_way_to(&mut self, y: f32, notable: bool) {
        let Some(last) = &self.last_label else {
            return;
        };
        let [labels, rects, shown, cuts] = last.lengths_before;
        let only_it_after = self.labels.len() == labels + 1
            && self.label_rects.len() == rects + 1
            && self.shown.len() == shown + 1
            && self.cut_labels.len() <= cuts + 1;
        if !only_it_after || y < last.label_bottom_before || (last.notable && !notable) {
            return;
        }
        self.label_bottom = last.label_bottom_before;
        self.labels.truncate(labels);
        self.label_rects.truncate(rects);
        self.shown.truncate(shown);
        self.cut_labels.truncate(cuts);
        self.last_label = None;
    }
}

/// A call label shortened to fit its lane, and what it would say in full.
struct CutLabel {
    /// Its places in the lane's `labels` and `label_rects`.
    label_index: usize,
    rect_index: usize,
    shown_index: usize,
    /// The call's bar (a label with no room to its right may go to the bar's left).
    bar: Rect,
    label: BarLabel,
}

/// Geometry of one frame.
struct Geometry {
    body: Rect,
    top_us: f64,
    us_per_point: f64,
    bar_width: f32,
    min_bar_height: f32,
    row_height: f32,
    /// On stage: one row per call instead of time to scale.
    rows: Option<rows::RowAxis>,
}

impl Geometry {
    fn y(&self, at_us: u64) -> f32 {
        match &self.rows {
            Some(rows) => self.body.top() + rows.y(at_us),
            None => self.body.top() + ((at_us as f64 - self.top_us) / self.us_per_point) as f32,
        }
    }
    fn time_at(&self, y: f32) -> f64 {
        match &self.rows {
            Some(rows) => rows.time_at(y - self.body.top()),
            None => self.top_us + f64::from(y - self.body.top()) * self.us_per_point,
        }
    }
    fn bottom_us(&self) -> f64 {
        self.time_at(self.body.bottom())
    }
}

impl TimelineView {
    pub fn new() -> Self {
        TimelineView::default()
    }

    /// Bars drawn in the last frame.
    pub fn visible_bars(&self) -> usize {
        self.stats.bars
    }

    /// Arrows drawn in the last frame.
    pub fn arrows_drawn(&self) -> usize {
        self.stats.arrows
    }

    /// Everything counted in the last frame.
    pub fn frame_stats(&self) -> FrameStats {
        self.stats
    }

    /// The rectangle of a call's bar in the last frame, if it was drawn.
    pub fn bar_rect(&self, call: CallId) -> Option<Rect> {
        self.bar_rects.get(&call).copied()
    }

    /// The diagram's area below the lane headers in the last frame.
    pub fn body_rect(&self) -> Rect {
        self.body
    }

    /// The sockets whose lanes the last frame drew, left to right.
    /// What a call's label said in the last frame, as read ("..." where it was cut).
    pub fn label_shown(&self, call: CallId) -> Option<&str> {
        self.labels_shown.get(&call).map(String::as_str)
    }

    /// The full label of a call's bar (what the label says when it has room).
    pub fn full_label(lang: Lang, session: &Session, record: &CallRecord, now_us: u64) -> BarLabel {
        bar_label(lang, record, session, now_us)
    }

    pub fn lanes_drawn(&self) -> &[SocketId] {
        &self.lanes_drawn
    }

    /// The diagram alone (no controls, no details), for the presenter stage: `focus`'s lanes
    /// spread over the width, its step fitted to the height one row per call, the step's calls
    /// and arrows emphasised and the earlier steps dimmed above.
    pub fn stage_ui(&mut self, ui: &mut Ui, session: &Session, now_us: u64, focus: StageFocus) {
        self.stage = Some(focus);
        self.selected = None;
        let full = ui.available_rect_before_wrap();
        self.diagram_ui(ui, full, session, now_us);
        ui.advance_cursor_after_rect(full);
        if session.stats().calls_pending > 0 {
            ui.ctx().request_repaint_after(LIVE_REPAINT);
        }
    }

    /// The call whose details are shown.
    pub fn selected(&self) -> Option<CallId> {
        self.selected
    }

    pub fn select(&mut self, call: Option<CallId>) {
        self.selected = call;
    }

    pub fn is_paused(&self) -> bool {
        self.paused_at.is_some()
    }

    /// Freezes the picture at `now_us` (None resumes).
    pub fn set_paused(&mut self, paused_at: Option<u64>) {
        self.paused_at = paused_at;
    }

    /// The time range shown in the last frame, in µs.
    pub fn time_range(&self, height: f32) -> (f64, f64) {
        (
            self.top_us,
            self.top_us + f64::from(height) * self.us_per_point,
        )
    }

    pub fn zoom_in(&mut self) {
        self.zoom_by(0.5, None);
    }

    pub fn zoom_out(&mut self) {
        self.zoom_by(2.0, None);
    }

    /// Scales the time axis so the whole retained log fits (on the next frame).
    pub fn fit(&mut self) {
        self.auto_fit = false;
        self.fit_requested = true;
    }

    /// Scales the time axis so `from_us..to_us` fills `body` (the stage's fallback for a step
    /// too long for rows).
    fn fit_span(&mut self, from_us: u64, to_us: u64, body: Rect) {
        let span = to_us.saturating_sub(from_us).max(1_000) as f64;
        self.us_per_point =
            (span / 0.9 / f64::from(body.height())).clamp(MIN_US_PER_POINT, MAX_US_PER_POINT);
        self.top_us = from_us as f64 - span * 0.03;
    }

    /// Multiplies µs-per-point by `factor`, keeping the time at `anchor_us` (or the top) still.
    fn zoom_by(&mut self, factor: f64, anchor: Option<(f64, f64)>) {
        self.auto_fit = false;
        let old = self.us_per_point;
        let new = (old * factor).clamp(MIN_US_PER_POINT, MAX_US_PER_POINT);
        if let Some((anchor_us, offset_points)) = anchor {
            self.top_us = anchor_us - offset_points * new;
        }
        self.us_per_point = new;
    }

    /// Draws the controls, the diagram and (when a bar was clicked) the call's details.
    pub fn ui(&mut self, ui: &mut Ui, session: &Session, now_us: u64) {
        if !self.us_per_point.is_finite() || self.us_per_point <= 0.0 {
            self.us_per_point = DEFAULT_US_PER_POINT;
        }
        self.lane_width = self.lane_width.clamp(120.0, 800.0);
        self.stage = None;
        let has_wire = session.wire().is_on() || !session.wire().is_empty();
        self.controls_ui(ui, now_us, has_wire, session.forgotten_sockets());
        let now = self.paused_at.unwrap_or(now_us);

        let selected = self
            .selected
            .and_then(|call| session.call(call).map(|record| (call, record)));
        if self.selected.is_some() && selected.is_none() {
            self.selected = None;
        }
        let full = ui.available_rect_before_wrap();
        // The details go beside the diagram, or below it in a narrow space.
        let (diagram_rect, details_rect) = if selected.is_none() {
            (full, None)
        } else if full.width() > 500.0 {
            let width = DETAILS_WIDTH.min(full.width() * 0.45);
            let split = full.right() - width;
            (
                Rect::from_min_max(full.min, pos2(split - 6.0, full.bottom())),
                Some(Rect::from_min_max(pos2(split, full.top()), full.max)),
            )
        } else {
            let split = full.top() + full.height() * 0.6;
            (
                Rect::from_min_max(full.min, pos2(full.right(), split - 6.0)),
                Some(Rect::from_min_max(pos2(full.left(), split), full.max)),
            )
        };
        self.diagram_ui(ui, diagram_rect, session, now);
        if let (Some(rect), Some((_, record))) = (details_rect, selected) {
            let mut close = false;
            ui.scope_builder(UiBuilder::new().max_rect(rect), |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("timeline_details")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        close = details_ui(ui, session, session.flows(), record, now);
                    });
            });
            if close {
                self.selected = None;
            }
        }
        ui.advance_cursor_after_rect(full);

        let live = self.paused_at.is_none() && session.stats().calls_pending > 0;
        if live {
            ui.ctx().request_repaint_after(LIVE_REPAINT);
        }
    }

    fn controls_ui(
        &mut self,
        ui: &mut Ui,
        now_us: u64,
        session_has_wire: bool,
        forgotten_sockets: u64,
    ) {
        let lang = crate::ui::lang(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            let pause_text = if self.paused_at.is_some() {
                t!(lang, "timeline-resume")
            } else {
                t!(lang, "timeline-pause")
            };
            if ui
                .button(pause_text)
                .on_hover_text(t!(lang, "timeline-pause-tip"))
                .clicked()
            {
                self.paused_at = match self.paused_at {
                    Some(_) => None,
                    None => Some(now_us),
                };
            }
            ui.checkbox(&mut self.follow, t!(lang, "timeline-follow-live"))
                .on_hover_text(t!(lang, "timeline-follow-live-tip"));
            if ui
                .button(t!(lang, "timeline-zoom-in"))
                .on_hover_text(t!(lang, "timeline-zoom-in-tip"))
                .clicked()
            {
                self.zoom_in();
            }
            if ui
                .button(t!(lang, "timeline-zoom-out"))
                .on_hover_text(t!(lang, "timeline-zoom-out-tip"))
                .clicked()
            {
                self.zoom_out();
            }
            if ui
                .button(t!(lang, "timeline-fit"))
                .on_hover_text(t!(lang, "timeline-fit-tip"))
                .clicked()
            {
                self.fit();
            }
            if session_has_wire {
                ui.checkbox(&mut self.show_wire, t!(lang, "timeline-segments"))
                    .on_hover_text(t!(lang, "timeline-segments-tip"));
            }
            ui.label(t!(
                lang,
                "timeline-scale",
                duration = crate::ui::duration_text((self.us_per_point * 100.0) as u64)
            ));
            if self.paused_at.is_some() {
                ui.colored_label(theme::warn_color(ui.visuals()), t!(lang, "timeline-paused"));
            }
            if self.stats.marks_only {
                ui.colored_label(
                    theme::muted_color(ui.visuals()),
                    t!(
                        lang,
                        "timeline-marks-only",
                        count = self.stats.calls_in_view
                    ),
                );
            }
            if forgotten_sockets > 0 {
                ui.colored_label(
                    theme::muted_color(ui.visuals()),
                    t!(lang, "timeline-forgotten", count = forgotten_sockets),
                )
                .on_hover_text(t!(lang, "sockets-forgotten-explained"));
            }
        });
    }

    fn diagram_ui(&mut self, ui: &mut Ui, rect: Rect, session: &Session, now: u64) {
        let visuals = ui.visuals().clone();
        let line = theme::line_width(&visuals);
        let font = TextStyle::Body.resolve(ui.style());
        let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font));
        let gutter = (row_height * 5.0).max(70.0);
        // A short stage gives the lane headers one line (the name), not two.
        let short_stage = self.stage.is_some() && rect.height() < row_height * 14.0;
        let header_height = if short_stage {
            row_height + 8.0
        } else {
            row_height * 2.0 + 10.0
        };

        let response = ui.interact(
            rect,
            ui.scope_id().with("timeline_diagram"),
            Sense::click_and_drag(),
        );
        let lang = crate::ui::lang(ui.ctx());
        response
            .widget_info(|| WidgetInfo::labeled(Role::Canvas, true, t!(lang, "timeline-diagram")));

        let body = Rect::from_min_max(
            pos2(rect.left() + gutter, rect.top() + header_height),
            rect.max,
        );
        if body.height() < 10.0 || body.width() < 10.0 {
            self.stats = FrameStats::default();
            return;
        }
        self.body = body;
        let stage = self.stage.clone();
        let mut order: Vec<SocketId> = match &stage {
            Some(focus) => focus
                .lanes
                .iter()
                .copied()
                .filter(|socket| session.socket(*socket).is_some())
                .collect(),
            _ => lane_order(session),
        };
        let (row_axis, step_from_us) = match &stage {
            Some(focus) => {
                let min_bar = (line * 3.0).max(5.0);
                self.place_stage(session, focus, &mut order, now, body, row_height, min_bar)
            }
            None => {
                self.pan_and_zoom(ui, &response, body);
                let lanes_width = order.len() as f32 * self.lane_width;
                let max_offset = (lanes_width - body.width()).max(0.0);
                self.follow_newest_lane(session, &order, body.width());
                self.x_offset = self.x_offset.clamp(0.0, max_offset);
                self.place_time_axis(session, now, body);
                (None, None)
            }
        };
        let rows_from = row_axis.as_ref().map(|rows| rows.first_position);
        self.lanes_drawn.clone_from(&order);

        let geometry = Geometry {
            body,
            top_us: self.top_us,
            us_per_point: self.us_per_point,
            bar_width: (row_height * 0.7).max(10.0),
            min_bar_height: (line * 3.0).max(5.0),
            row_height,
            rows: row_axis,
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::ZERO, visuals.extreme_bg_color);
        let body_painter = painter.with_clip_rect(body);

        let mut lanes: HashMap<SocketId, Lane> = HashMap::new();
        let mut left = body.left() - self.x_offset;
        // Thousands of lanes (a server under a load test): only those within a screen of the
        // view are placed; calls and arrows in lanes further away are not drawn.
        let reach = body.width();
        for (position, socket) in order.iter().enumerate() {
            let width = match &stage {
                Some(_) => self
                    .stage_widths
                    .get(position)
                    .copied()
                    .unwrap_or(self.lane_width),
                None => self.lane_width,
            };
            if left + width < body.left() - reach || left > body.right() + reach {
                left += width;
                continue;
            }
            lanes.insert(
                *socket,
                Lane {
                    left,
                    width,
                    label_bottom: f32::NEG_INFINITY,
                    label_rects: Vec::new(),
                    labels: Vec::new(),
                    cut_labels: Vec::new(),
                    shown: Vec::new(),
                    last_label: None,
                },
            );
            left += width;
        }
        let ctx = BarContext {
            session,
            geometry: &geometry,
            now,
            font: &font,
            visuals: &visuals,
            line,
            id: ui.scope_id().with("timeline_bar"),
            step_from_us,
            on_stage: stage.is_some(),
            lang,
        };

        match (&geometry.rows, &stage) {
            (Some(_), Some(focus)) => ctx.draw_step_separators(&painter, rect, focus),
            _ => self.draw_axis(&painter, &geometry, rect, &font, &visuals, line, now),
        }
        ctx.draw_lane_lines(&body_painter, &order, &lanes);

        // ----- calls -----
        let mut stats = FrameStats::default();
        self.bar_rects.clear();
        let t_top = geometry.time_at(body.top());
        let t_bottom = geometry.bottom_us();
        let (lo, hi) = match rows_from {
            // On stage every entry the rows placed (they are few: the step and a bounded part
            // of the earlier ones).
            Some(first) => (
                first,
                first_index_at_or_after(session, now as f64 + 1.0).max(first),
            ),
            None => {
                let lo = first_index_at_or_after(session, t_top);
                let hi = first_index_at_or_after(session, t_bottom.min(now as f64) + 1.0);
                (lo, hi.max(lo))
            }
        };
        stats.calls_in_view = hi - lo;
        let mut clicked: Option<CallId> = None;
        if hi - lo > MAX_DETAILED_CALLS {
            stats.marks_only = true;
            ctx.draw_marks(&body_painter, &order, &lanes, lo..hi, &mut stats);
        } else {
            clicked = self.draw_detailed(
                ui,
                &ctx,
                &body_painter,
                &mut lanes,
                lo..hi,
                t_top,
                &mut stats,
            );
        }

        self.draw_lane_headers(ui, &ctx, &painter, rect, &order, &lanes);
        if let Some(call) = clicked {
            self.selected = Some(call);
        }
        self.stats = stats;
    }

    /// On stage everything fits: every lane across the width (lanes that do not fit and have
    /// nothing in the step go first), the step down the height, one row per call (or, for a
    /// step too long for rows, to scale). Returns the rows and when the step began.
    #[allow(clippy::too_many_arguments)]
    fn place_stage(
        &mut self,
        session: &Session,
        focus: &StageFocus,
        order: &mut Vec<SocketId>,
        now: u64,
        body: Rect,
        row_height: f32,
        min_bar_height: f32,
    ) -> (Option<rows::RowAxis>, Option<u64>) {
        // Busy in the step: a lane with calls, a pending call, or a segment of the wire.
        let step_start_us = session
            .log_entry(focus.step_from)
            .map_or(u64::MAX, LogEntry::at_us);
        let active: HashSet<SocketId> = (focus.step_from..session.log_len())
            .filter_map(|n| session.log_entry(n).map(LogEntry::socket))
            .chain(
                session
                    .sockets()
                    .filter(|view| !view.pending.is_empty())
                    .map(|view| view.id),
            )
            .chain(
                session
                    .wire()
                    .segments()
                    .rev()
                    .take_while(|segment| segment.segment.at_us >= step_start_us)
                    .take(rows::MAX_STEP_ENTRIES)
                    .flat_map(|segment| [segment.from_lane, segment.to_lane])
                    .flatten(),
            )
            .collect();
        if order.len() as f32 * STAGE_MIN_LANE > body.width() {
            order.retain(|socket| active.contains(socket));
        }
        self.x_offset = 0.0;
        // Lanes with nothing in the step are narrow; the others share the rest.
        let busy = order
            .iter()
            .filter(|socket| active.contains(socket))
            .count();
        let idle_width = if busy == 0 { 0.0 } else { STAGE_MIN_LANE };
        let busy_width = ((body.width() - idle_width * (order.len() - busy) as f32)
            / busy.max(1) as f32)
            .clamp(STAGE_MIN_LANE, 600.0);
        self.lane_width = busy_width;
        self.stage_widths = order
            .iter()
            .map(|socket| {
                if busy == 0 {
                    (body.width() / order.len().max(1) as f32).clamp(STAGE_MIN_LANE, 600.0)
                } else if active.contains(socket) {
                    busy_width
                } else {
                    idle_width
                }
            })
            .collect();
        let lane_set: HashSet<SocketId> = order.iter().copied().collect();
        let row_axis = rows::RowAxis::build(
            session,
            &lane_set,
            focus.step_from,
            now,
            body.height(),
            row_height + 6.0,
            min_bar_height * 1.5,
        );
        let step_from_us = session.log_entry(focus.step_from).map(LogEntry::at_us);
        if row_axis.is_none() {
            self.fit_span(
                step_from_us.unwrap_or(now),
                live_edge_us(session, now),
                body,
            );
        }
        (row_axis, step_from_us)
    }

    /// Each call of the log range (and those reaching into the view from above) as a bar with
    /// its label, the summaries of automatic behaviour as bands, then the arrows between them.
    /// Returns the call clicked, if any.
    #[allow(clippy::too_many_arguments)]
    fn draw_detailed(
        &mut self,
        ui: &Ui,
        ctx: &BarContext<'_>,
        body_painter: &egui::Painter,
        lanes: &mut HashMap<SocketId, Lane>,
        range: std::ops::Range<usize>,
        t_top: f64,
        stats: &mut FrameStats,
    ) -> Option<CallId> {
        let (session, now, geometry) = (ctx.session, ctx.now, ctx.geometry);
        let (lo, hi) = (range.start, range.end);
        let mut clicked = None;
        let mut drawn_calls: Vec<(CallId, SocketId)> = Vec::new();
        // Calls reaching in from above first, then the window's entries in log order (so
        // labels are placed in time order).
        let entries = calls_reaching_in(session, t_top, lo, now)
            .into_iter()
            .map(Drawn::ReachingIn)
            .chain((lo..hi).filter_map(|n| Some(Drawn::InWindow(n, session.log_entry(n)?))));
        let mut seen: HashSet<CallId> = HashSet::new();
        for entry in entries {
            let record = match entry {
                Drawn::ReachingIn(record) => record,
                Drawn::InWindow(n, LogEntry::Auto(summary)) => {
                    if (summary.to_us as f64) >= t_top
                        && summary.from_us <= now
                        && let Some(lane) = lanes.get_mut(&summary.socket)
                    {
                        ctx.draw_auto(ui, body_painter, lane, summary, n, stats);
                    }
                    continue;
                }
                Drawn::InWindow(_, LogEntry::Call(record)) => {
                    let end = record
                        .returned_us
                        .filter(|returned| *returned <= now)
                        .unwrap_or(now);
                    if (end as f64) < t_top - geometry.us_per_point * 8.0 || record.started_us > now
                    {
                        continue;
                    }
                    record
                }
            };
            if !seen.insert(record.call_id) {
                continue;
            }
            if let Some(lane) = lanes.get_mut(&record.socket)
                && let Some((rect, was_clicked)) =
                    ctx.draw_call(ui, body_painter, lane, record, stats)
            {
                if was_clicked {
                    clicked = Some(record.call_id);
                }
                self.bar_rects.insert(record.call_id, rect);
                drawn_calls.push((record.call_id, record.socket));
            }
        }
        if ctx.on_stage {
            ctx.widen_cut_labels(body_painter, lanes, &self.bar_rects);
        }
        self.labels_shown = lanes
            .values_mut()
            .flat_map(|lane| lane.shown.drain(..))
            .collect();
        let mut plates = Vec::new();
        let mut taken = self.draw_arrows(
            ui,
            ctx,
            body_painter,
            lanes,
            &drawn_calls,
            &mut plates,
            stats,
        );
        if self.show_wire {
            ctx.draw_wire(ui, body_painter, lanes, &mut taken, &mut plates, stats);
        }
        // The arrows' labels after every arrow: no arrow is drawn over a label.
        for plate in plates {
            body_painter.rect_filled(
                plate.rect,
                CornerRadius::same(3),
                ctx.visuals.extreme_bg_color,
            );
            body_painter.galley(plate.rect.min + vec2(3.0, 1.0), plate.galley, plate.color);
        }
        // The call labels last, each on the diagram's background, over the arrows.
        let backing = ctx.visuals.extreme_bg_color.gamma_multiply(0.85);
        for lane in lanes.values_mut() {
            for (pos, galley, color) in lane.labels.drain(..) {
                let rect = Rect::from_min_size(pos, galley.size()).expand(1.0);
                body_painter.rect_filled(rect, CornerRadius::same(2), backing);
                body_painter.galley(pos, galley, color);
            }
        }
        clicked
    }

    /// Drag pans; the wheel scrolls; a pinch or ctrl+wheel zooms about the pointer.
    fn pan_and_zoom(&mut self, ui: &Ui, response: &egui::Response, body: Rect) {
        if response.dragged() {
            let delta = response.drag_delta();
            self.top_us -= f64::from(delta.y) * self.us_per_point;
            self.x_offset -= delta.x;
            if delta.y.abs() > 0.0 {
                self.follow = false;
                self.auto_fit = false;
            }
        }
        if !response.hovered() {
            return;
        }
        let (scroll, zoom, pointer) = ui.input(|input| {
            (
                input.smooth_scroll_delta,
                input.zoom_delta(),
                input.pointer.hover_pos(),
            )
        });
        if (zoom - 1.0).abs() > f32::EPSILON {
            let anchor_y = pointer.map_or(body.center().y, |pos| pos.y) - body.top();
            let anchor_us = self.top_us + f64::from(anchor_y) * self.us_per_point;
            self.zoom_by(
                1.0 / f64::from(zoom),
                Some((anchor_us, f64::from(anchor_y))),
            );
        }
        if scroll != Vec2::ZERO {
            self.top_us -= f64::from(scroll.y) * self.us_per_point;
            self.x_offset -= scroll.x;
            if scroll.y.abs() > 0.0 {
                self.follow = false;
            }
            ui.input_mut(|input| input.smooth_scroll_delta = Vec2::ZERO);
        }
    }

    /// Follow-live brings the lane of the newest call into view when a new call arrives in a
    /// lane that is off to the side.
    fn follow_newest_lane(&mut self, session: &Session, order: &[SocketId], view_width: f32) {
        if !self.follow || session.log_len() == 0 {
            return;
        }
        let newest_mark = session.log_mark().saturating_sub(1);
        if self.followed_mark == Some(newest_mark) {
            return;
        }
        self.followed_mark = Some(newest_mark);
        let Some(socket) = session.log().next_back().map(LogEntry::socket) else {
            return;
        };
        let Some(position) = order.iter().position(|lane| *lane == socket) else {
            return;
        };
        let lane_left = position as f32 * self.lane_width;
        let lane_right = lane_left + self.lane_width;
        if lane_left < self.x_offset {
            self.x_offset = lane_left;
        } else if lane_right > self.x_offset + view_width {
            self.x_offset = lane_right - view_width;
        }
    }

    /// Where the time axis starts and how much time a point is: fitted to the whole log when
    /// asked, or following the newest call.
    fn place_time_axis(&mut self, session: &Session, now: u64, body: Rect) {
        let first_us = session.log().next().map_or(0, LogEntry::at_us);
        let start_us = session
            .sockets()
            .map(|view| view.opened_us)
            .min()
            .unwrap_or(first_us)
            .min(first_us.max(1));
        if self.auto_fit && self.follow && session.log_len() > 0 {
            // A first look at calls shows all of them, not an empty stretch near now.
            let span = activity_edge_us(session, now).saturating_sub(start_us) as f64;
            if span / 0.9 / f64::from(body.height()) <= DEFAULT_US_PER_POINT {
                self.fit_requested = true;
            } else {
                self.auto_fit = false;
                self.us_per_point = DEFAULT_US_PER_POINT;
            }
        }
        if self.fit_requested {
            self.fit_requested = false;
            // Up to the last call, not to now: idle time after it would only squash the calls.
            let span = activity_edge_us(session, now)
                .saturating_sub(start_us)
                .max(1_000) as f64;
            self.us_per_point =
                (span / 0.9 / f64::from(body.height())).clamp(MIN_US_PER_POINT, MAX_US_PER_POINT);
            self.top_us = start_us as f64 - span * 0.03;
        } else if self.follow {
            let height_us = f64::from(body.height()) * self.us_per_point;
            // The newest activity, not now: a call pending for minutes (a listener waiting
            // to accept) grows down from where it started; following now would leave an
            // empty stretch in view.
            let edge = activity_edge_us(session, now) as f64;
            if edge > self.top_us + height_us * 0.97 || edge < self.top_us {
                self.top_us = (edge - height_us * 0.85).max(start_us as f64 - height_us * 0.05);
            }
        }
        if !self.top_us.is_finite() {
            self.top_us = 0.0;
        }
    }

    /// Each lane's name and state above its line (drawn last, over the bars).
    fn draw_lane_headers(
        &self,
        ui: &Ui,
        ctx: &BarContext<'_>,
        painter: &egui::Painter,
        rect: Rect,
        order: &[SocketId],
        lanes: &HashMap<SocketId, Lane>,
    ) {
        let (body, visuals, font) = (ctx.geometry.body, ctx.visuals, ctx.font);
        let row_height = ctx.geometry.row_height;
        let header = Rect::from_min_max(rect.min, pos2(rect.right(), body.top()));
        painter.rect_filled(header, CornerRadius::ZERO, visuals.faint_bg_color);
        let header_painter = painter.with_clip_rect(Rect::from_min_max(
            pos2(body.left(), rect.top()),
            pos2(rect.right(), body.top()),
        ));
        for socket in order {
            let (Some(lane), Some(view)) = (lanes.get(socket), ctx.session.socket(*socket)) else {
                continue;
            };
            if lane.left > rect.right() || lane.left + lane.width < body.left() {
                continue;
            }
            let width = lane.width - 12.0;
            let name = if view.parent.is_some() {
                // Indented under its listener.
                format!(
                    "  {}",
                    t!(
                        ctx.lang,
                        "timeline-lane-accepted",
                        name = view.name.as_str()
                    )
                )
            } else {
                view.name.clone()
            };
            let name_rect = paint_elided(
                &header_painter,
                pos2(lane.left + 4.0, rect.top() + 4.0),
                &name,
                font,
                visuals.strong_text_color(),
                width,
            );
            let state = match (&view.local, view.state) {
                (Some(local), state) if !view.closed => {
                    format!("{} {local}", state.label(ctx.lang))
                }
                (_, state) => state.label(ctx.lang),
            };
            // A one-line header (a short stage) has the name only.
            if body.top() - rect.top() >= row_height * 2.0 {
                paint_elided(
                    &header_painter,
                    pos2(lane.left + 4.0, rect.top() + 4.0 + row_height + 2.0),
                    &state,
                    font,
                    theme::muted_color(visuals),
                    width,
                );
            }
            let id = ui.scope_id().with(("timeline_lane", socket.0));
            let lane_response = ui.interact(name_rect, id, Sense::hover());
            let label = t!(ctx.lang, "timeline-lane", name = view.name.as_str());
            lane_response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &label));
        }
        painter.line_segment(
            [
                pos2(rect.left(), body.top()),
                pos2(rect.right(), body.top()),
            ],
            Stroke::new(ctx.line * 0.5, theme::muted_color(visuals)),
        );
        if order.is_empty() {
            painter.text(
                body.center(),
                Align2::CENTER_CENTER,
                t!(ctx.lang, "timeline-no-sockets"),
                font.clone(),
                theme::muted_color(visuals),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_axis(
        &self,
        painter: &egui::Painter,
        geometry: &Geometry,
        rect: Rect,
        font: &FontId,
        visuals: &egui::Visuals,
        line: f32,
        now: u64,
    ) {
        let body = geometry.body;
        let min_spacing_us = f64::from(geometry.row_height * 3.0) * geometry.us_per_point;
        let step = nice_step(min_spacing_us);
        let first = (geometry.top_us / step).floor().max(0.0) * step;
        let grid = Stroke::new(line * 0.3, visuals.faint_bg_color.gamma_multiply(2.0));
        let mut t = first;
        let mut count = 0;
        while t <= geometry.bottom_us() && count < 500 {
            let y = body.top() + ((t - geometry.top_us) / geometry.us_per_point) as f32;
            if y >= body.top() {
                painter.line_segment([pos2(body.left(), y), pos2(rect.right(), y)], grid);
                painter.text(
                    pos2(body.left() - 6.0, y),
                    Align2::RIGHT_CENTER,
                    time_text(t, step),
                    font.clone(),
                    theme::muted_color(visuals),
                );
            }
            t += step;
            count += 1;
        }
        if self.paused_at.is_none() {
            let y = geometry.y(now);
            if y >= body.top() && y <= body.bottom() {
                let color = theme::accent_color(visuals);
                painter.line_segment(
                    [pos2(body.left(), y), pos2(rect.right(), y)],
                    Stroke::new(line * 0.5, color),
                );
                painter.text(
                    pos2(rect.left() + 4.0, y),
                    Align2::LEFT_BOTTOM,
                    t!(crate::ui::lang(painter.ctx()), "timeline-now"),
                    font.clone(),
                    color,
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_arrows(
        &self,
        ui: &Ui,
        ctx: &BarContext<'_>,
        painter: &egui::Painter,
        lanes: &HashMap<SocketId, Lane>,
        drawn: &[(CallId, SocketId)],
        plates: &mut Vec<Plate>,
        stats: &mut FrameStats,
    ) -> Vec<Rect> {
        let visuals = ctx.visuals;
        let accent = theme::accent_color(visuals);
        let error = theme::error_color(visuals);
        let stroke = Stroke::new(ctx.line, accent);
        let mut done: HashSet<(CallId, CallId)> = HashSet::new();
        // What an arrow's label must not cover: the bars and their labels, and the labels of
        // the arrows before it.
        let mut label_rects: Vec<Rect> = lanes
            .values()
            .flat_map(|lane| lane.label_rects.iter().copied())
            .chain(
                self.bar_rects
                    .values()
                    .map(|bar| bar.expand2(vec2(4.0, 2.0))),
            )
            .collect();
        let point = |call: CallId| -> Option<(Pos2, SocketId)> {
            let record = ctx.session.call(call)?;
            let returned = record.returned_us.filter(|at| *at <= ctx.now)?;
            let lane = lanes.get(&record.socket)?;
            Some((
                pos2(
                    lane.left + 8.0 + ctx.geometry.bar_width * 0.5,
                    ctx.geometry.y(returned),
                ),
                record.socket,
            ))
        };
        for (call, _) in drawn {
            for flow in ctx.session.flows().arrows_of(*call) {
                if stats.arrows >= MAX_ARROWS || !done.insert((flow.from_call, flow.to_call)) {
                    continue;
                }
                let (Some((from, from_socket)), Some((to, to_socket))) =
                    (point(flow.from_call), point(flow.to_call))
                else {
                    continue;
                };
                if from_socket == to_socket {
                    continue;
                }
                // On stage the step's arrows stand out and the earlier ones step back.
                let dimmed = ctx
                    .session
                    .call(flow.to_call)
                    .is_some_and(|record| ctx.dimmed(record));
                let (accent, stroke) = match (dimmed, ctx.step_from_us) {
                    (true, _) => (
                        accent.gamma_multiply(0.4),
                        Stroke::new(ctx.line, accent.gamma_multiply(0.4)),
                    ),
                    (false, Some(_)) => (accent, Stroke::new(ctx.line * 1.6, accent)),
                    (false, None) => (accent, stroke),
                };
                let direction = (to - from).normalized();
                let start = from + direction * ctx.geometry.bar_width * 0.6;
                let end = to - direction * ctx.geometry.bar_width * 0.6;
                painter.line_segment([start, end], stroke);
                arrow_head(painter, end, direction, stroke.width, accent);
                stats.arrows += 1;
                let text = format!("{} B", flow.bytes);
                let galley = painter.layout_no_wrap(text, ctx.font.clone(), accent);
                let size = galley.size() + vec2(6.0, 2.0);
                // Along the arrow, the first place (from the middle out) that covers nothing.
                let free = [0.5, 0.38, 0.62, 0.26, 0.74, 0.15, 0.85]
                    .into_iter()
                    .map(|at| Rect::from_center_size(start + (end - start) * at, size))
                    .find(|label| {
                        !label_rects
                            .iter()
                            .rev()
                            .take(256)
                            .any(|other| other.intersects(*label))
                    });
                if let Some(label) = free {
                    plates.push(Plate {
                        rect: label,
                        galley,
                        color: accent,
                    });
                    label_rects.push(label);
                    let text = t!(
                        ctx.lang,
                        "timeline-arrow",
                        bytes = flow.bytes,
                        from = flow.from_call.0,
                        to = flow.to_call.0
                    );
                    let response = ui.interact(
                        label.intersect(ctx.geometry.body),
                        ctx.id.with(("arrow", flow.from_call.0, flow.to_call.0)),
                        Sense::hover(),
                    );
                    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &text));
                }
            }
            for dropped in ctx.session.flows().dropped_of(*call) {
                let (Some((from, _)), Some(lane)) = (point(dropped.call), lanes.get(&dropped.to))
                else {
                    continue;
                };
                let target_x = lane.left + 8.0 + ctx.geometry.bar_width * 0.5;
                let to = pos2(
                    from.x + (target_x - from.x) * 0.5,
                    from.y + ctx.geometry.row_height,
                );
                let dashed = Stroke::new(ctx.line, error);
                painter.extend(egui::Shape::dashed_line(&[from, to], dashed, 6.0, 4.0));
                let size = ctx.geometry.row_height * 0.4;
                let thick = Stroke::new(ctx.line * 1.5, error);
                painter.line_segment([to + vec2(-size, -size), to + vec2(size, size)], thick);
                painter.line_segment([to + vec2(-size, size), to + vec2(size, -size)], thick);
                let text_rect = painter.text(
                    to + vec2(size + 4.0, 0.0),
                    Align2::LEFT_CENTER,
                    t!(ctx.lang, "timeline-dropped"),
                    ctx.font.clone(),
                    error,
                );
                stats.dropped += 1;
                let label = match ctx.session.socket(dropped.to) {
                    Some(view) => t!(
                        ctx.lang,
                        "timeline-dropped-tip",
                        call = dropped.call.0,
                        socket = view.name.as_str()
                    ),
                    None => t!(ctx.lang, "timeline-dropped-tip-gone", call = dropped.call.0),
                };
                let mark = Rect::from_center_size(to, Vec2::splat(size * 2.0)).union(text_rect);
                let response = ui.interact(
                    mark.intersect(ctx.geometry.body),
                    ctx.id.with(("dropped", dropped.call.0, dropped.to.0)),
                    Sense::hover(),
                );
                response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &label));
                response.on_hover_text(&label);
            }
        }
        label_rects
    }
}

/// What the diagram draws in detail, in order.
enum Drawn<'a> {
    /// A call that started above the window and reaches into it.
    ReachingIn(&'a CallRecord),
    /// A log entry (by index) in the window's time range.
    InWindow(usize, &'a LogEntry),
}

/// Calls that started before the window's top (`t_top`) but reach into it: long ones (from
/// the flow index), pending ones (from the sockets) and short ones just before (a bounded look
/// back from log index `lo`).
fn calls_reaching_in(session: &Session, t_top: f64, lo: usize, now: u64) -> Vec<&CallRecord> {
    let mut records: Vec<&CallRecord> = Vec::new();
    for long in session.flows().long_calls() {
        if (long.started_us as f64) < t_top
            && long.returned_us as f64 >= t_top
            && let Some(record) = session.call(long.call)
        {
            records.push(record);
        }
    }
    for view in session.sockets() {
        for pending in &view.pending {
            if (pending.started_us as f64) < t_top
                && let Some(record) = session.call(pending.call_id)
            {
                records.push(record);
            }
        }
    }
    let look_back_limit = t_top - LONG_CALL_US as f64;
    for n in (lo.saturating_sub(LOOK_BACK)..lo).rev() {
        match session.log_entry(n) {
            Some(LogEntry::Call(record)) => {
                if (record.started_us as f64) < look_back_limit {
                    break;
                }
                let end = record.returned_us.unwrap_or(now);
                if end as f64 >= t_top {
                    records.push(record);
                }
            }
            Some(LogEntry::Auto(_)) => {}
            None => break,
        }
    }
    records
}

/// What drawing one bar needs.
struct BarContext<'a> {
    session: &'a Session,
    geometry: &'a Geometry,
    now: u64,
    font: &'a FontId,
    visuals: &'a egui::Visuals,
    line: f32,
    id: Id,
    /// On stage: the step began then; calls that ended before are dimmed.
    step_from_us: Option<u64>,
    /// Drawing for the presenter stage.
    on_stage: bool,
    lang: Lang,
}

impl BarContext<'_> {
    /// On stage, a call of an earlier step (it ended before this step began).
    fn dimmed(&self, record: &CallRecord) -> bool {
        self.step_from_us.is_some_and(|from| {
            record.started_us < from && record.returned_us.is_some_and(|returned| returned < from)
        })
    }

    /// On stage, a line across the diagram where each step began, named in the gutter.
    fn draw_step_separators(&self, painter: &egui::Painter, rect: Rect, focus: &StageFocus) {
        let body = self.geometry.body;
        let Some(rows) = &self.geometry.rows else {
            return;
        };
        let muted = theme::muted_color(self.visuals);
        let starts: Vec<(f32, &String)> = focus
            .step_starts
            .iter()
            .filter_map(|(position, label)| {
                let entry = self.session.log_entry(*position)?;
                let y = rows.y_in(entry.at_us(), body)?;
                Some((y - self.geometry.row_height * 0.2, label))
            })
            .collect();
        for (index, (y, label)) in starts.iter().enumerate() {
            painter.extend(egui::Shape::dashed_line(
                &[pos2(rect.left(), *y), pos2(rect.right(), *y)],
                Stroke::new(self.line * 0.5, muted),
                8.0,
                6.0,
            ));
            // A step with nothing on these lanes starts where the next one does: only the
            // later label is written, so two never print over each other.
            let crowded = starts
                .get(index + 1)
                .is_some_and(|(next_y, _)| next_y - y < self.geometry.row_height);
            if !crowded {
                painter.text(
                    pos2(rect.left() + 4.0, y + 2.0),
                    Align2::LEFT_TOP,
                    label.as_str(),
                    self.font.clone(),
                    muted,
                );
            }
        }
    }

    /// Each lane's vertical line, from when its socket opened.
    fn draw_lane_lines(
        &self,
        painter: &egui::Painter,
        order: &[SocketId],
        lanes: &HashMap<SocketId, Lane>,
    ) {
        let body = self.geometry.body;
        for socket in order {
            let (Some(lane), Some(view)) = (lanes.get(socket), self.session.socket(*socket)) else {
                continue;
            };
            let x = lane.left + self.geometry.bar_width * 0.5 + 8.0;
            if x < body.left() - lane.width || x > body.right() {
                continue;
            }
            let top = self.geometry.y(view.opened_us).max(body.top());
            if top < body.bottom() {
                painter.line_segment(
                    [pos2(x, top), pos2(x, body.bottom())],
                    Stroke::new(self.line * 0.5, theme::muted_color(self.visuals)),
                );
            }
        }
    }

    /// Too many calls in view for bars: a sample of them as small marks, one per lane and
    /// 3-point cell at most.
    fn draw_marks(
        &self,
        painter: &egui::Painter,
        order: &[SocketId],
        lanes: &HashMap<SocketId, Lane>,
        range: std::ops::Range<usize>,
        stats: &mut FrameStats,
    ) {
        let stride = range.len().div_ceil(MAX_SAMPLED).max(1);
        let mut cells: HashSet<(usize, i32)> = HashSet::new();
        let lane_index: HashMap<SocketId, usize> = order
            .iter()
            .enumerate()
            .map(|(position, socket)| (*socket, position))
            .collect();
        for n in range.step_by(stride) {
            let Some(entry) = self.session.log_entry(n) else {
                continue;
            };
            let (Some(lane), Some(position)) =
                (lanes.get(&entry.socket()), lane_index.get(&entry.socket()))
            else {
                continue;
            };
            let y = self.geometry.y(entry.at_us());
            if !cells.insert((*position, (y / 3.0) as i32)) {
                continue;
            }
            let color = match entry {
                LogEntry::Call(record) => bar_color(record, self.session, self.now, self.visuals),
                LogEntry::Auto(_) => theme::accent_color(self.visuals),
            };
            let x = lane.left + 8.0;
            painter.rect_filled(
                Rect::from_min_size(pos2(x, y), vec2(self.geometry.bar_width, 3.0)),
                CornerRadius::ZERO,
                color,
            );
            stats.bars += 1;
        }
    }

    /// Labels cut to their lane's width take the room to their right up to the next bar or
    /// label at their height (an idle lane beside a narrow one), so a result is read whole.
    fn widen_cut_labels(
        &self,
        painter: &egui::Painter,
        lanes: &mut HashMap<SocketId, Lane>,
        bars: &HashMap<CallId, Rect>,
    ) {
        const GAP: f32 = 6.0;
        let right_edge = self.geometry.body.right() - GAP;
        let left_edge = self.geometry.body.left() + GAP;
        let mut obstacles: Vec<Rect> = bars.values().copied().collect();
        obstacles.extend(
            lanes
                .values()
                .flat_map(|lane| lane.label_rects.iter().copied()),
        );
        let mut order: Vec<SocketId> = lanes.keys().copied().collect();
        order.sort_by(|a, b| lanes[a].left.total_cmp(&lanes[b].left));
        for socket in order {
            let Some(lane) = lanes.get_mut(&socket) else {
                continue;
            };
            for cut in std::mem::take(&mut lane.cut_labels) {
                let (Some(rect), Some((pos, _, color))) = (
                    lane.label_rects.get(cut.rect_index).copied(),
                    lane.labels.get(cut.label_index).cloned(),
                ) else {
                    continue;
                };
                let beside = |other: &&Rect| {
                    other.top() < rect.bottom() && other.bottom() > rect.top() && **other != rect
                };
                let room_right = obstacles
                    .iter()
                    .filter(beside)
                    .filter(|other| other.left() > rect.left())
                    .map(|other| other.left() - GAP)
                    .fold(right_edge, f32::min);
                // With no more room to the right (the last lane), the bar's left side.
                let room_left = obstacles
                    .iter()
                    .filter(beside)
                    .filter(|other| other.right() < cut.bar.left())
                    .map(|other| other.right() + GAP)
                    .fold(left_edge, f32::max);
                let width_right = room_right - pos.x;
                let width_left = cut.bar.left() - GAP - room_left;
                let max_width = width_right.max(width_left);
                if max_width <= rect.width() {
                    continue;
                }
                let fits = |text: &str| {
                    painter
                        .layout_no_wrap(text.to_string(), self.font.clone(), color)
                        .size()
                        .x
                        <= max_width
                };
                let shown = shortened_label(&cut.label, fits);
                let galley = layout_elided(painter, &shown, self.font, color, max_width);
                let pos = if galley.size().x <= width_right {
                    pos
                } else {
                    pos2(cut.bar.left() - GAP - galley.size().x, pos.y)
                };
                let widened = Rect::from_min_size(pos, galley.size());
                if let Some(old) = obstacles.iter_mut().find(|other| **other == rect) {
                    *old = widened;
                }
                lane.label_rects[cut.rect_index] = widened;
                if let Some((_, text)) = lane.shown.get_mut(cut.shown_index) {
                    *text = galley.text().to_string();
                }
                lane.labels[cut.label_index] = (pos, galley, color);
            }
        }
    }

    /// Draws one call's bar and label; returns the bar's rectangle if it is on screen, and
    /// whether it was clicked.
    fn draw_call(
        &self,
        ui: &Ui,
        painter: &egui::Painter,
        lane: &mut Lane,
        record: &CallRecord,
        stats: &mut FrameStats,
    ) -> Option<(Rect, bool)> {
        let body = self.geometry.body;
        if lane.left > body.right() || lane.left + lane.width < body.left() {
            return None;
        }
        let returned = record.returned_us.filter(|at| *at <= self.now);
        let thread_ended = record.is_pending()
            && self
                .session
                .socket(record.socket)
                .is_none_or(|view| view.thread_ended);
        let end_us = match returned {
            Some(at) => at,
            None if thread_ended => record.started_us,
            None => self.now,
        };
        let top = self.geometry.y(record.started_us);
        let bottom = self
            .geometry
            .y(end_us)
            .max(top + self.geometry.min_bar_height);
        if bottom < body.top() || top > body.bottom() {
            return None;
        }
        let x = lane.left + 8.0;
        let bar = Rect::from_min_max(pos2(x, top), pos2(x + self.geometry.bar_width, bottom));
        let dimmed = self.dimmed(record);
        let mut color = bar_color(record, self.session, self.now, self.visuals);
        let mut stroke_width = self.line;
        if dimmed {
            color = color.gamma_multiply(0.4);
        } else if self.step_from_us.is_some() {
            stroke_width *= 1.6;
        }
        painter.rect_filled(bar, CornerRadius::same(2), color.gamma_multiply(0.55));
        painter.rect_stroke(
            bar,
            CornerRadius::same(2),
            Stroke::new(stroke_width, color),
            StrokeKind::Inside,
        );
        stats.bars += 1;

        let label = bar_label(self.lang, record, self.session, self.now);
        // The label beside the bar, unless it would overlap the lane's previous one.
        let label_pos = pos2(bar.right() + 6.0, top.max(body.top()));
        let max_width = lane.left + lane.width - label_pos.x - 6.0;
        // On stage an earlier step's calls keep their bars but not their labels: the room is
        // the step's.
        let notable = !matches!(record.outcome, Some(crate::engine::Outcome::Ok(_)));
        if self.on_stage
            && !dimmed
            && label_pos.y < lane.label_bottom
            && label_pos.y < body.bottom()
            && max_width > 20.0
        {
            lane.give_way_to(label_pos.y, notable);
        }
        if !dimmed
            && label_pos.y >= lane.label_bottom
            && label_pos.y < body.bottom()
            && max_width > 20.0
        {
            lane.last_label = Some(LastLabel {
                notable,
                label_bottom_before: lane.label_bottom,
                lengths_before: lane.label_lengths(),
            });
            let text_color = if dimmed {
                theme::muted_color(self.visuals)
            } else {
                color_for_text(color, self.visuals)
            };
            // Too long for the lane: the arguments go first, then the call's name; the result
            // (or timed out, cancelled...) always stays.
            let fits = |text: &str| {
                painter
                    .layout_no_wrap(text.to_string(), self.font.clone(), text_color)
                    .size()
                    .x
                    <= max_width
            };
            let shown = shortened_label(&label, fits);
            let galley = layout_elided(painter, &shown, self.font, text_color, max_width);
            let rect = Rect::from_min_size(label_pos, galley.size());
            if self.on_stage && galley.text() != label.full() {
                lane.cut_labels.push(CutLabel {
                    label_index: lane.labels.len(),
                    rect_index: lane.label_rects.len(),
                    shown_index: lane.shown.len(),
                    bar,
                    label: label.clone(),
                });
            }
            lane.shown.push((record.call_id, galley.text().to_string()));
            lane.labels.push((label_pos, galley, text_color));
            lane.label_bottom = rect.bottom() + 2.0;
            lane.label_rects.push(rect);
            stats.labels += 1;
        }
        // On stage the calls of automatic behaviour are drawn, small, but are not widgets to
        // point at: a receive loop's calls would crowd the narrated ones.
        if self.on_stage && record.origin == crate::engine::Origin::Auto {
            return Some((bar, false));
        }
        let hit = bar.intersect(body).expand2(vec2(4.0, 0.0));
        let response = ui.interact(hit, self.id.with(record.call_id.0), Sense::click());
        let label = label.full();
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &label));
        let clicked = response.clicked();
        response.on_hover_ui(|ui| {
            ui.label(&label);
            if let Some(name) = self
                .session
                .socket(record.socket)
                .map(|view| view.name.as_str())
            {
                ui.label(t!(self.lang, "timeline-bar-tip", socket = name));
            }
        });
        Some((bar, clicked))
    }

    /// Draws an automatic summary as one wide band.
    fn draw_auto(
        &self,
        ui: &Ui,
        painter: &egui::Painter,
        lane: &mut Lane,
        summary: &crate::engine::event::AutoSummary,
        n: usize,
        stats: &mut FrameStats,
    ) {
        let body = self.geometry.body;
        if lane.left > body.right() || lane.left + lane.width < body.left() {
            return;
        }
        let top = self.geometry.y(summary.from_us);
        let bottom = self
            .geometry
            .y(summary.to_us.min(self.now))
            .max(top + self.geometry.min_bar_height);
        let x = lane.left + 4.0;
        let band = Rect::from_min_max(
            pos2(x, top),
            pos2(x + self.geometry.bar_width + 8.0, bottom),
        );
        let color = theme::accent_color(self.visuals);
        painter.rect_filled(band, CornerRadius::same(2), color.gamma_multiply(0.35));
        stats.bars += 1;
        let label = t!(
            self.lang,
            "timeline-auto",
            recv_calls = summary.recv_calls,
            recv_bytes = crate::ui::bytes_text(summary.recv_bytes),
            send_calls = summary.send_calls,
            send_bytes = crate::ui::bytes_text(summary.send_bytes)
        );
        let label_pos = pos2(band.right() + 4.0, top.max(body.top()));
        let max_width = lane.left + lane.width - label_pos.x - 6.0;
        if label_pos.y >= lane.label_bottom && label_pos.y < body.bottom() && max_width > 20.0 {
            let rect = paint_elided(painter, label_pos, &label, self.font, color, max_width);
            lane.label_bottom = rect.bottom() + 2.0;
            lane.label_rects.push(rect);
            stats.labels += 1;
        }
        let hit = band.intersect(body);
        if hit.is_positive() {
            let response = ui.interact(hit, self.id.with(("auto", n)), Sense::hover());
            response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &label));
            response.on_hover_text(&label);
        }
    }
}

/// What "Follow live" keeps in view: now while a call is pending (its bar grows), otherwise the
/// end of the latest call, so what just happened stays on screen while nothing happens instead
/// of scrolling away as the clock runs on.
fn live_edge_us(session: &Session, now: u64) -> u64 {
    // Entries are in start order; a call started a little earlier may have ended later.
    const RECENT_ENTRIES: usize = 64;
    let mut pending = false;
    let mut latest_end = None::<u64>;
    for entry in session.log().rev().take(RECENT_ENTRIES) {
        match entry.end_us() {
            Some(end) => latest_end = Some(latest_end.map_or(end, |latest| latest.max(end))),
            None => pending = true,
        }
    }
    if pending || session.calls_pending() > 0 {
        return now;
    }
    latest_end.map_or(now, |end| end.min(now))
}

/// The latest start or return among the newest calls (now, when there are none): what
/// follow-live keeps in view.
fn activity_edge_us(session: &Session, now: u64) -> u64 {
    const RECENT_ENTRIES: usize = 64;
    session
        .log()
        .rev()
        .take(RECENT_ENTRIES)
        .map(|entry| entry.end_us().unwrap_or(0).max(entry.at_us()))
        .max()
        .map_or(now, |edge| edge.min(now))
}

/// An arrow's label, painted on its own background once every arrow is drawn.
pub(super) struct Plate {
    pub rect: Rect,
    pub galley: std::sync::Arc<egui::Galley>,
    pub color: egui::Color32,
}

/// Lanes left to right: sockets without a parent in id order, each followed by its accepted
/// connections.
pub fn lane_order(session: &Session) -> Vec<SocketId> {
    session.tree_order().iter().map(|row| row.id).collect()
}

/// The first log position whose entry starts at or after `at_us` (binary search: the log is in
/// start order).
fn first_index_at_or_after(session: &Session, at_us: f64) -> usize {
    let (mut low, mut high) = (0, session.log_len());
    while low < high {
        let mid = low + (high - low) / 2;
        let before = session
            .log_entry(mid)
            .is_some_and(|entry| (entry.at_us() as f64) < at_us);
        if before {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// The colour of a call's bar: pending, ok, warning (EOF, partial send, timeout, cancel), error.
pub fn bar_color(
    record: &CallRecord,
    session: &Session,
    now: u64,
    visuals: &egui::Visuals,
) -> Color32 {
    let returned = record.returned_us.is_some_and(|at| at <= now);
    let Some(outcome) = record.outcome.as_ref().filter(|_| returned) else {
        let ended = record.is_pending()
            && session
                .socket(record.socket)
                .is_none_or(|view| view.thread_ended);
        return if ended {
            theme::warn_color(visuals)
        } else {
            theme::pending_color(visuals)
        };
    };
    match outcome {
        Outcome::Ok(_) => {
            let eof = matches!(record.call, Call::Recv { .. } | Call::RecvFrom { .. })
                && record.data_len == Some(0);
            let partial = match &record.call {
                Call::Send { data } | Call::SendAll { data } | Call::SendTo { data, .. } => {
                    record.bytes_moved < data.len()
                }
                _ => false,
            };
            if eof || partial {
                theme::warn_color(visuals)
            } else {
                theme::ok_color(visuals)
            }
        }
        Outcome::Errno(_) | Outcome::Invalid(_) => theme::error_color(visuals),
        Outcome::TimedOut { .. } | Outcome::Cancelled(_) => theme::warn_color(visuals),
    }
}

fn color_for_text(color: Color32, visuals: &egui::Visuals) -> Color32 {
    if color == theme::pending_color(visuals)
        || color == theme::error_color(visuals)
        || color == theme::warn_color(visuals)
    {
        color
    } else {
        visuals.text_color()
    }
}

/// A bar's label in its two parts: the call as written, and what follows it (` -> b'hi'`,
/// ` -> timed out`, ` ... 2.0 s` while it waits). Shortening folds the first
/// part and keeps the second, so nothing has to be read back out of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BarLabel {
    call: String,
    name: String,
    /// ` -> ` before a result, ` ` before a wait's time.
    joiner: &'static str,
    result: String,
    /// The reply rule whose reply this send carried (`rule 2`).
    rule: Option<String>,
}

impl BarLabel {
    /// The label whole, as it reads with room: `recv(1024) -> b'hi'`.
    pub fn full(&self) -> String {
        format!("{}{}", self.call, self.rest())
    }

    /// What follows the call: ` -> b'hi'`.
    pub fn rest(&self) -> String {
        match &self.rule {
            Some(rule) => format!("{}{} [{rule}]", self.joiner, self.result),
            None => format!("{}{}", self.joiner, self.result),
        }
    }

    /// The result alone: `b'hi'`, `timed out`.
    pub fn result(&self) -> &str {
        &self.result
    }
}

/// The label of a call's bar: what it returned as Python shows it (`recv(1024) -> b'hi'`,
/// `accept() -> (conn, ('127.0.0.1', 40000))`, `connect(('127.0.0.1', 80)) -> ECONNREFUSED`),
/// or another outcome in the words every view uses (`recv(1024) -> timed out`),
/// `accept() ... 2.0 s` while pending.
pub fn bar_label(lang: Lang, record: &CallRecord, session: &Session, now: u64) -> BarLabel {
    let returned = record.returned_us.is_some_and(|at| at <= now);
    let (joiner, result) = match record.outcome.as_ref().filter(|_| returned) {
        None => {
            let ended = record.is_pending()
                && session
                    .socket(record.socket)
                    .is_none_or(|view| view.thread_ended);
            if ended {
                (" ", crate::i18n::no_result_thread_ended(lang))
            } else {
                let elapsed = now.saturating_sub(record.started_us) as f64 / 1_000_000.0;
                (" ", format!("... {elapsed:.1} s"))
            }
        }
        outcome => {
            let value = |value: &Value| {
                let names = |socket: SocketId| session.socket_name(socket);
                let data = received_bytes(session, record);
                let shown = python_value(&record.call, record.from.as_ref(), value, &names, data);
                // A send that took only part: how much of how much.
                match (&record.call, value) {
                    (Call::Send { data } | Call::SendTo { data, .. }, Value::Int(n))
                        if (*n as usize) < data.len() =>
                    {
                        t!(
                            lang,
                            "timeline-partial-send",
                            sent = shown,
                            total = data.len()
                        )
                    }
                    _ => shown,
                }
            };
            let words = outcome_words(lang, outcome, record.call.name(), value);
            (" -> ", words.result)
        }
    };
    BarLabel {
        call: record.call.text(),
        name: record.call.name().to_string(),
        joiner,
        result,
        rule: record
            .reply_rule
            .map(|rule| crate::messages::rules::rule_label(lang, rule as usize)),
    }
}

/// A bar's label as long as `fits` allows: whole; the call's name with its arguments folded
/// (`recv(…) -> b'hi'`); the name alone (`recv -> b'hi'`); the result alone (`-> b'hi'`, then
/// `b'hi'`).
/// What follows the call (its result, "timed out", "cancelled") is never what goes.
fn shortened_label(label: &BarLabel, fits: impl Fn(&str) -> bool) -> String {
    let full = label.full();
    if fits(&full) {
        return full;
    }
    let name = &label.name;
    let rest = label.rest();
    let candidates = [
        format!("{name}(…){rest}"),
        format!("{name}{rest}"),
        rest.trim_start().to_string(),
        label.result.clone(),
    ];
    candidates
        .iter()
        .find(|candidate| fits(candidate))
        .or(candidates.last())
        .cloned()
        .unwrap_or_default()
}

/// Paints one line of text, cut with "..." to fit `max_width`; returns where it went.
fn paint_elided(
    painter: &egui::Painter,
    pos: Pos2,
    text: &str,
    font: &FontId,
    color: Color32,
    max_width: f32,
) -> Rect {
    let galley = layout_elided(painter, text, font, color, max_width);
    let rect = Rect::from_min_size(pos, galley.size());
    painter.galley(pos, galley, color);
    rect
}

/// One line of text, cut with "..." to fit `max_width`.
fn layout_elided(
    painter: &egui::Painter,
    text: &str,
    font: &FontId,
    color: Color32,
    max_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let galley = painter.layout_no_wrap(text.to_string(), font.clone(), color);
    if galley.size().x <= max_width {
        return galley;
    }
    let chars = text.chars().count().max(1);
    let per_char = galley.size().x / chars as f32;
    let mut keep = ((max_width / per_char.max(1.0)) as usize).saturating_sub(3);
    loop {
        let cut: String = text.chars().take(keep).collect::<String>() + "...";
        let galley = painter.layout_no_wrap(cut, font.clone(), color);
        if galley.size().x <= max_width || keep == 0 {
            return galley;
        }
        keep = keep.saturating_sub(keep.div_ceil(8).max(1));
    }
}

fn arrow_head(painter: &egui::Painter, tip: Pos2, direction: Vec2, line: f32, color: Color32) {
    let size = (line * 4.0).max(8.0);
    let back = -direction * size;
    let side = vec2(-direction.y, direction.x) * size * 0.5;
    painter.add(egui::Shape::convex_polygon(
        vec![tip, tip + back + side, tip + back - side],
        color,
        Stroke::NONE,
    ));
}

/// A round step for the time axis, at least `min_us`: 1, 2, 5 × 10^n µs.
fn nice_step(min_us: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for factor in [1.0, 2.0, 5.0] {
            if step * factor >= min_us {
                return step * factor;
            }
        }
        step *= 10.0;
        if step > 1e12 {
            return step;
        }
    }
}

/// Seconds since the engine started, with as many decimals as the step needs.
fn time_text(at_us: f64, step_us: f64) -> String {
    let seconds = at_us / 1_000_000.0;
    let decimals = if step_us >= 1_000_000.0 {
        0
    } else if step_us >= 100_000.0 {
        1
    } else if step_us >= 10_000.0 {
        2
    } else if step_us >= 1_000.0 {
        3
    } else if step_us >= 100.0 {
        4
    } else if step_us >= 10.0 {
        5
    } else {
        6
    };
    format!("{seconds:.decimals$} s")
}

/// The details of one call. Returns true when the person closes them.
fn details_ui(
    ui: &mut Ui,
    session: &Session,
    index: &FlowIndex,
    record: &CallRecord,
    now: u64,
) -> bool {
    let mut close = false;
    let visuals = ui.visuals().clone();
    let lang = crate::ui::lang(ui.ctx());
    ui.horizontal(|ui| {
        ui.heading(t!(lang, "timeline-details"));
        if ui.button(t!(lang, "timeline-details-close")).clicked() {
            close = true;
        }
    });
    let socket_name = session.socket(record.socket).map_or_else(
        || {
            t!(
                lang,
                "timeline-details-socket",
                socket = record.socket.to_string()
            )
        },
        |view| view.name.clone(),
    );
    ui.label(format!("{socket_name}: {}", record.call.text()));
    ui.label(match record.origin {
        crate::engine::Origin::User => t!(lang, "timeline-details-by-user"),
        crate::engine::Origin::Script => t!(lang, "timeline-details-by-script"),
        crate::engine::Origin::Auto => t!(lang, "timeline-details-by-auto"),
    });
    ui.label(t!(
        lang,
        "timeline-details-started",
        seconds = format!("{:.6}", record.started_us as f64 / 1_000_000.0)
    ));
    let returned = record.returned_us.is_some_and(|at| at <= now);
    match record.outcome.as_ref().filter(|_| returned) {
        None => {
            ui.colored_label(
                theme::pending_color(&visuals),
                crate::ui::blocked_text(lang, &record.call, record.started_us, now),
            );
        }
        Some(outcome) => {
            let color = bar_color(record, session, now, &visuals);
            // An errno is named here and explained once below, for this call; any other
            // outcome in the words every view uses (a value as Python shows it).
            let result = match outcome {
                Outcome::Errno(code) => t!(
                    lang,
                    "timeline-details-errno",
                    name = errno::name(*code),
                    code = *code
                ),
                other => {
                    let value = |value: &Value| {
                        let names = |socket: SocketId| session.socket_name(socket);
                        let data = received_bytes(session, record);
                        python_value(&record.call, record.from.as_ref(), value, &names, data)
                    };
                    let words = outcome_words(lang, Some(other), record.call.name(), value);
                    // A cancelled call is said in full below.
                    match words.note {
                        Some(note) if !matches!(other, Outcome::Cancelled(_)) => {
                            format!("{} ({note})", words.result)
                        }
                        _ => words.result,
                    }
                }
            };
            ui.colored_label(color, t!(lang, "timeline-details-result", result = result));
            if let Outcome::Errno(code) = outcome {
                let explained = crate::engine::explain::errno_in(
                    lang,
                    *code,
                    &record.call,
                    record.context.as_ref(),
                );
                ui.label(explained.text);
                if let Some(fix) = explained.fix {
                    ui.label(t!(lang, "timeline-details-fix", fix = fix));
                }
            }
            if let Some(note) = crate::engine::explain::nothing_bound_in(
                lang,
                &record.call,
                record.context.as_ref(),
            ) {
                ui.colored_label(theme::warn_color(&visuals), note);
            }
            if let Outcome::Cancelled(reason) = outcome {
                ui.label(crate::engine::explain::cancelled_in(
                    lang,
                    *reason,
                    &record.call,
                ));
            }
            if matches!(outcome, Outcome::Ok(Value::Bytes(0))) {
                ui.label(crate::engine::explain::empty_recv_in(
                    lang,
                    &record.call,
                    record.context.as_ref(),
                ));
            }
            if let Some(duration) = record.duration_us {
                ui.label(t!(
                    lang,
                    "timeline-details-took",
                    duration = crate::ui::duration_text(duration)
                ));
            }
            if let Some(woken) = record.woken_by {
                ui.label(t!(
                    lang,
                    "timeline-details-woken-by",
                    what = crate::engine::explain::woken_in(lang, &record.call, woken, outcome)
                ));
            }
            if record.bytes_moved > 0 || record.call.can_block() {
                ui.label(t!(
                    lang,
                    "timeline-details-bytes-moved",
                    count = record.bytes_moved
                ));
            }
            if let Some(from) = &record.from {
                ui.label(t!(lang, "received-from", from = from.to_string()));
            }
            if let Some(real) = record.truncated_from {
                ui.colored_label(
                    theme::warn_color(&visuals),
                    t!(lang, "timeline-details-truncated", size = real),
                );
            }
            if let Some(data) = received_bytes(session, record) {
                ui.label(t!(
                    lang,
                    "timeline-details-data",
                    data = crate::engine::command::bytes_literal_short(data)
                ));
            }
        }
    }
    for flow in index.arrows_of(record.call_id) {
        let went = flow.from_call == record.call_id;
        let other = if went { flow.to_call } else { flow.from_call };
        let other_text = session.call(other).map_or_else(
            || t!(lang, "timeline-details-call-gone"),
            |other| {
                let name = session
                    .socket(other.socket)
                    .map_or_else(String::new, |view: &SocketView| view.name.clone());
                t!(
                    lang,
                    "timeline-details-call-on",
                    call = other.call.name(),
                    socket = name
                )
            },
        );
        let text = if went {
            t!(
                lang,
                "timeline-details-went-to",
                bytes = flow.bytes,
                other = other_text
            )
        } else {
            t!(
                lang,
                "timeline-details-came-from",
                bytes = flow.bytes,
                other = other_text
            )
        };
        ui.colored_label(theme::accent_color(&visuals), text);
    }
    for dropped in index.dropped_of(record.call_id) {
        let name = session
            .socket(dropped.to)
            .map_or_else(String::new, |view| view.name.clone());
        ui.colored_label(
            theme::error_color(&visuals),
            t!(lang, "timeline-details-dropped", socket = name),
        );
    }
    close
}

#[cfg(test)]
mod tests {
    use super::{BarLabel, shortened_label};
    use crate::engine::{AddrArg, Call, RecvFlags};

    #[test]
    fn a_short_lane_folds_the_arguments_then_the_name_but_never_the_result() {
        let recv = Call::Recv {
            bufsize: 1024,
            flags: RecvFlags::default(),
        };
        let label = |call: &Call, result: &str| BarLabel {
            call: call.text(),
            name: call.name().to_string(),
            joiner: " -> ",
            result: result.to_string(),
            rule: None,
        };
        let three = label(&recv, "b'three'");
        let within = |width: usize| move |text: &str| text.chars().count() <= width;
        assert_eq!(
            shortened_label(&three, within(40)),
            "recv(1024) -> b'three'"
        );
        assert_eq!(shortened_label(&three, within(17)), "recv -> b'three'");
        assert_eq!(shortened_label(&three, within(19)), "recv(…) -> b'three'");
        assert_eq!(shortened_label(&three, within(11)), "-> b'three'");
        assert_eq!(shortened_label(&three, within(9)), "b'three'");
        // A timeout keeps "timed out" whatever the room.
        let connect = Call::Connect(AddrArg::inet("127.0.0.1", 9));
        let timed_out = label(&connect, "timed out");
        assert_eq!(
            shortened_label(&timed_out, within(20)),
            "connect -> timed out"
        );
        assert_eq!(shortened_label(&timed_out, within(12)), "-> timed out");
        assert_eq!(shortened_label(&timed_out, within(5)), "timed out");
    }
}
