//! The wire on the timeline (PRODUCT part 14): each segment captured on loopback as an arrow
//! from the lane of the socket that sent it to the lane of the one it went to, in the wire's
//! own colour, labelled as a textbook does ("SYN", "SYN, ACK", "PSH, ACK 5 B", "RST",
//! "ACK · win 0"), at the moment it crossed, among the call bars. A flood's summaries are bands
//! between the lanes ("4,210 segments"). An end that is not one of our sockets (a peer
//! outside the workbench) gets a short stub with its address.

use super::Plate;
use super::{BarContext, FrameStats, Lane};
use crate::engine::{SocketId, TcpFlags, Transport};
use crate::session::wire::{WireEntry, WireSegment};
use crate::t;
use crate::ui::theme;
use egui::{Align2, CornerRadius, Pos2, Rect, Role, Sense, Stroke, WidgetInfo, pos2, vec2};
use std::collections::HashMap;

/// At most this many segments are drawn per frame (more are in view only in a flood, which is
/// summarised anyway).
const MAX_SEGMENTS_DRAWN: usize = 1_500;
/// Where along its arrow a segment's label is tried, in order.
const ALONG: [f32; 5] = [0.5, 0.35, 0.65, 0.22, 0.78];
/// The length of the stub for an end outside the workbench, in lane widths.
const STUB_LANES: f32 = 0.45;

/// An arrow drawn without a label.
struct UnlabelledArrow<'a> {
    start: Pos2,
    end: Pos2,
    segment: &'a WireSegment,
}

/// The x of a lane's line (where its bars are).
fn lane_x(ctx: &BarContext<'_>, lane: &Lane) -> f32 {
    lane.left + 8.0 + ctx.geometry.bar_width * 0.5
}

impl BarContext<'_> {
    /// Draws the wire's entries in view; `taken` are the places labels must not cover (bars,
    /// call labels, send-to-recv arrow labels), and gets the segment labels added.
    pub(super) fn draw_wire(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        lanes: &HashMap<SocketId, Lane>,
        taken: &mut Vec<Rect>,
        plates: &mut Vec<Plate>,
        stats: &mut FrameStats,
    ) {
        let wire = self.session.wire();
        if wire.is_empty() {
            return;
        }
        let body = self.geometry.body;
        let t_top = self.geometry.time_at(body.top()).max(0.0) as u64;
        let t_bottom = (self.geometry.bottom_us().max(0.0) as u64).min(self.now);
        // Arrows whose label found no room: given a small hover spot once every label is placed.
        let mut unlabelled = Vec::new();
        for entry in wire.between(t_top, t_bottom) {
            if stats.segments >= MAX_SEGMENTS_DRAWN {
                break;
            }
            match entry {
                WireEntry::Segment(segment) => {
                    if let Some(arrow) =
                        self.draw_segment(ui, painter, lanes, segment, taken, plates, stats)
                    {
                        unlabelled.push(arrow);
                    }
                }
                WireEntry::Summary(band) => {
                    for flow in &band.flows {
                        let (Some(from), Some(to)) = (
                            flow.from_lane.and_then(|lane| lanes.get(&lane)),
                            flow.to_lane.and_then(|lane| lanes.get(&lane)),
                        ) else {
                            continue;
                        };
                        let (x1, x2) = (lane_x(self, from), lane_x(self, to));
                        let top = self.geometry.y(band.summary.from_us);
                        let bottom = self
                            .geometry
                            .y(band.summary.to_us)
                            .max(top + self.geometry.row_height);
                        let rect = Rect::from_min_max(
                            pos2(x1.min(x2) + 6.0, top),
                            pos2(x1.max(x2) - 6.0, bottom),
                        );
                        let color = theme::wire_color(self.visuals);
                        painter.rect_filled(
                            rect,
                            CornerRadius::same(3),
                            color.gamma_multiply(0.12),
                        );
                        let text = t!(
                            self.lang,
                            "timeline-wire-band",
                            count = flow.segments,
                            arrow = if x2 >= x1 { "→" } else { "←" }
                        );
                        painter.text(
                            rect.center_top() + vec2(0.0, 2.0),
                            Align2::CENTER_TOP,
                            &text,
                            self.font.clone(),
                            color,
                        );
                        stats.wire_bands += 1;
                    }
                }
            }
        }
        let look_at = self.label_look_at();
        for arrow in unlabelled {
            let spot = ALONG
                .into_iter()
                .map(|at| {
                    Rect::from_center_size(
                        arrow.start + (arrow.end - arrow.start) * at,
                        vec2(10.0, 10.0),
                    )
                })
                .find(|spot| {
                    body.contains_rect(*spot)
                        && !taken
                            .iter()
                            .rev()
                            .take(look_at)
                            .any(|other| other.intersects(*spot))
                });
            match spot {
                Some(spot) => {
                    taken.push(spot);
                    self.describe_segment(ui, spot, arrow.segment);
                }
                // No room even to hover: a screen reader still finds the arrow.
                None => self.describe_for_screen_reader(ui, &arrow),
            }
        }
    }

    /// Draws one segment's arrow and, where there is room, its label; returns the arrow if
    /// it got none.
    #[allow(clippy::too_many_arguments)]
    fn draw_segment<'w>(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        lanes: &HashMap<SocketId, Lane>,
        wired: &'w WireSegment,
        taken: &mut Vec<Rect>,
        plates: &mut Vec<Plate>,
        stats: &mut FrameStats,
    ) -> Option<UnlabelledArrow<'w>> {
        let segment = &wired.segment;
        let from_lane = wired.from_lane.and_then(|lane| lanes.get(&lane));
        let to_lane = wired.to_lane.and_then(|lane| lanes.get(&lane));
        let y = self.geometry.y(segment.at_us);
        // Drawn a little downhill, as a textbook does, so the direction reads at a glance.
        let drop = self.geometry.row_height * 0.3;
        let (start, end, outside) = match (from_lane, to_lane) {
            (Some(from), Some(to)) if wired.from_lane != wired.to_lane => (
                pos2(lane_x(self, from), y),
                pos2(lane_x(self, to), y + drop),
                None,
            ),
            (Some(from), None) => {
                let x = lane_x(self, from);
                let reach = from.width * STUB_LANES;
                (
                    pos2(x, y),
                    pos2(x + reach, y + drop),
                    Some(t!(
                        self.lang,
                        "timeline-wire-to",
                        address = segment.to.to_string()
                    )),
                )
            }
            (None, Some(to)) => {
                let x = lane_x(self, to);
                let reach = to.width * STUB_LANES;
                (
                    pos2(x + reach, y),
                    pos2(x, y + drop),
                    Some(t!(
                        self.lang,
                        "received-from",
                        from = segment.from.to_string()
                    )),
                )
            }
            _ => return None,
        };
        let body = self.geometry.body;
        if y + drop < body.top() || y > body.bottom() {
            return None;
        }
        let tcp = segment.tcp();
        let visuals = self.visuals;
        let mut color = match tcp {
            None if segment.transport == Transport::PortUnreachable => theme::error_color(visuals),
            Some(tcp) if tcp.flags.has(TcpFlags::RST) => theme::error_color(visuals),
            Some(tcp) if tcp.window_raw == 0 => theme::warn_color(visuals),
            _ => theme::wire_color(visuals),
        };
        let dimmed = self.step_from_us.is_some_and(|from| segment.at_us < from);
        if dimmed {
            color = color.gamma_multiply(0.4);
        }
        let width = if self.on_stage && !dimmed {
            self.line * 1.4
        } else {
            self.line
        };
        let stroke = Stroke::new(width, color);
        let direction = (end - start).normalized();
        let inset = self.geometry.bar_width * 0.6;
        let (start, end) = (start + direction * inset, end - direction * inset);
        painter.extend(egui::Shape::dashed_line(&[start, end], stroke, 7.0, 3.0));
        super::arrow_head(painter, end, direction, stroke.width, color);
        stats.segments += 1;

        // The label names an end outside the workbench ("to ('10.0.0.2', 80)") where it fits;
        // else the label alone. A stub is short: its label may also sit beyond its outer end
        // (stubs reach right, where no lane of its own is).
        let bare = segment.label_in(self.lang);
        let mut texts = match &outside {
            Some(other_end) => vec![format!("{bare} {other_end}"), bare],
            None => vec![bare],
        };
        if segment.transport == Transport::PortUnreachable {
            texts.push(t!(self.lang, "timeline-wire-port-unreachable"));
        }
        let outer = if start.x > end.x { start } else { end };
        let look_at = self.label_look_at();
        let is_free = |label: &Rect| {
            body.contains_rect(*label)
                && !taken
                    .iter()
                    .rev()
                    .take(look_at)
                    .any(|other| other.intersects(*label))
        };
        let free = texts.into_iter().find_map(|text| {
            let galley = painter.layout_no_wrap(text, self.font.clone(), color);
            let size = galley.size() + vec2(6.0, 2.0);
            let beyond = outside
                .as_ref()
                .map(|_| Rect::from_min_size(pos2(outer.x + 6.0, outer.y - size.y * 0.5), size));
            ALONG
                .into_iter()
                .map(|at| label_rect(start + (end - start) * at, size))
                .chain(ALONG.into_iter().flat_map(|at| {
                    let point = start + (end - start) * at;
                    // Under the arrow; else over its line (the plate hides a piece of it).
                    [
                        label_rect_below(point, size, 3.0),
                        label_rect_below(point, size, -size.y * 0.35),
                    ]
                }))
                .chain(beyond)
                .find(|label| is_free(label))
                .map(|label| (label, galley))
        });
        // No room for the label: the arrow alone, described where it is hovered if there is
        // room once every label is placed (the Wire view lists every segment).
        let Some((label, galley)) = free else {
            return Some(UnlabelledArrow {
                start,
                end,
                segment: wired,
            });
        };
        plates.push(Plate {
            rect: label,
            galley,
            color,
        });
        taken.push(label);
        stats.segment_labels += 1;
        self.describe_segment(ui, label, wired);
        None
    }

    /// How many of the places taken a new label is checked against: on stage all (the stage
    /// has few); in the window the newest only, to keep a frame short.
    fn label_look_at(&self) -> usize {
        if self.on_stage { usize::MAX } else { 512 }
    }

    /// What a segment is, in one sentence ("segment PSH, ACK 3 B from client to conn").
    fn segment_description(&self, wired: &WireSegment) -> String {
        let segment = &wired.segment;
        let from_name = self.lane_name(wired.from_lane, &segment.from.to_string());
        let to_name = self.lane_name(wired.to_lane, &segment.to.to_string());
        t!(
            self.lang,
            "timeline-wire-segment",
            segment = segment.label_in(self.lang),
            from = from_name,
            to = to_name
        )
    }

    fn segment_id(&self, segment: &crate::engine::wire::Segment) -> egui::Id {
        self.id.with((
            "segment",
            segment.at_us,
            segment.from.port(),
            segment.to.port(),
        ))
    }

    /// A node in the accessibility tree for an arrow with no room for a label or a hover
    /// spot: it takes no pointer, so nothing under it loses its hover.
    fn describe_for_screen_reader(&self, ui: &egui::Ui, arrow: &UnlabelledArrow<'_>) {
        let description = self.segment_description(arrow.segment);
        let bounds = Rect::from_two_pos(arrow.start, arrow.end);
        ui.ctx()
            .accesskit_node_builder(self.segment_id(&arrow.segment.segment), |node| {
                // As egui names a label: its text is the node's value.
                node.set_role(Role::Label);
                node.set_value(description);
                node.set_bounds(egui::accesskit::Rect {
                    x0: bounds.min.x.into(),
                    y0: bounds.min.y.into(),
                    x1: bounds.max.x.into(),
                    y1: bounds.max.y.into(),
                });
            });
    }

    /// What a segment is, for a screen reader and when hovered at `place`.
    fn describe_segment(&self, ui: &egui::Ui, place: Rect, wired: &WireSegment) {
        let segment = &wired.segment;
        let description = self.segment_description(wired);
        let hover = match segment.tcp() {
            Some(tcp) => format!(
                "{description}\n{}",
                t!(
                    self.lang,
                    "timeline-wire-segment-numbers",
                    seq = tcp.seq.to_string(),
                    ack = tcp.ack.to_string(),
                    window = tcp.window.to_string(),
                    data = tcp.payload_len.to_string()
                )
            ),
            None => description.clone(),
        };
        let response = ui.interact(place, self.segment_id(segment), Sense::hover());
        response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &description));
        response.on_hover_text(hover);
    }

    fn lane_name(&self, lane: Option<SocketId>, address: &str) -> String {
        lane.and_then(|lane| self.session.socket(lane))
            .map_or_else(|| address.to_string(), |view| view.name.clone())
    }
}

/// A label's box centred above a point of the arrow (so the arrow stays visible under it).
fn label_rect(at: Pos2, size: egui::Vec2) -> Rect {
    Rect::from_center_size(at - vec2(0.0, size.y * 0.5 + 1.0), size)
}

/// A segment label's place under the point `at` of the arrow, its top `gap` below it (when
/// the places above are taken).
fn label_rect_below(at: Pos2, size: egui::Vec2, gap: f32) -> Rect {
    Rect::from_center_size(at + vec2(0.0, size.y * 0.5 + gap), size)
}
