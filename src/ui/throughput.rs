//! Bytes per second in and out of each socket over the last minute, as a line plot of the
//! session's throughput buckets ([`crate::session::throughput::Buckets`], 250 ms wide; shown
//! as 250 ms or summed into 1 s).

use super::bytes_text;
use crate::engine::{Direction, SocketId};
use crate::session::Session;
pub use crate::session::throughput::{BUCKET_US, WINDOW_US};
use crate::t;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// With "all sockets", at most this many (the busiest) are plotted.
pub const MAX_LINES_ALL: usize = 8;

/// The width of the buckets plotted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BucketSize {
    #[default]
    Second,
    QuarterSecond,
}

impl BucketSize {
    pub fn micros(self) -> u64 {
        match self {
            BucketSize::Second => 1_000_000,
            BucketSize::QuarterSecond => BUCKET_US,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BucketSize::Second => "1 s",
            BucketSize::QuarterSecond => "250 ms",
        }
    }
}

/// The throughput plot.
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ThroughputView {
    pub bucket: BucketSize,
    /// Show every socket (otherwise only `chosen`).
    pub show_all: bool,
    pub chosen: BTreeSet<SocketId>,
}

impl Default for ThroughputView {
    fn default() -> Self {
        ThroughputView::new()
    }
}

impl ThroughputView {
    pub fn new() -> Self {
        ThroughputView {
            bucket: BucketSize::Second,
            show_all: true,
            chosen: BTreeSet::new(),
        }
    }

    /// `(seconds since start, bytes per second)` for each bucket of the minute before `now_us`.
    pub fn rates(
        &self,
        session: &Session,
        socket: SocketId,
        direction: Direction,
        now_us: u64,
    ) -> Vec<[f64; 2]> {
        let width = self.bucket.micros();
        let from = now_us.saturating_sub(WINDOW_US);
        session
            .throughput()
            .totals(socket, direction, width, from, now_us.max(1))
            .into_iter()
            .map(|(at, bytes)| [at as f64 / 1e6, bytes as f64 / (width as f64 / 1e6)])
            .collect()
    }

    /// The settings row, the socket choice and the plot. `now_us`: the engine's clock.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, now_us: u64) {
        let now_us = now_us.max(session.latest_us());
        let from = now_us.saturating_sub(WINDOW_US);
        let buckets = session.throughput();
        // Sockets with traffic in the window, in id order, with their bytes.
        let active: Vec<(SocketId, u64)> = buckets
            .sockets()
            .map(|socket| (socket, buckets.bytes_between(socket, from, now_us + 1)))
            .filter(|(_, bytes)| *bytes > 0)
            .collect();
        // "All": the busiest few (more lines would be unreadable).
        let plotted: BTreeSet<SocketId> = if self.show_all {
            let mut busiest = active.clone();
            busiest.sort_by_key(|(socket, bytes)| (std::cmp::Reverse(*bytes), *socket));
            busiest
                .into_iter()
                .take(MAX_LINES_ALL)
                .map(|(socket, _)| socket)
                .collect()
        } else {
            active
                .iter()
                .map(|(socket, _)| *socket)
                .filter(|socket| self.chosen.contains(socket))
                .collect()
        };
        let name = |socket: SocketId| {
            session
                .socket(socket)
                .map_or_else(|| socket.to_string(), |view| view.name.clone())
        };
        let lang = super::lang(ui.ctx());
        ui.push_id("throughput", |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(t!(lang, "throughput-heading"));
                for size in [BucketSize::Second, BucketSize::QuarterSecond] {
                    ui.selectable_value(&mut self.bucket, size, size.label());
                }
                ui.separator();
                ui.checkbox(&mut self.show_all, t!(lang, "throughput-all-sockets"))
                    .on_hover_text(t!(lang, "throughput-all-sockets-tip", max = MAX_LINES_ALL));
                if active.is_empty() {
                    ui.label(t!(lang, "throughput-no-data"));
                } else if self.show_all && active.len() > MAX_LINES_ALL {
                    ui.label(t!(
                        lang,
                        "throughput-busiest-shown",
                        max = MAX_LINES_ALL,
                        count = active.len()
                    ));
                }
            });
            if !active.is_empty() {
                let mut checkboxes = |ui: &mut egui::Ui| {
                    ui.horizontal_wrapped(|ui| {
                        for (socket, _) in &active {
                            let mut on = plotted.contains(socket);
                            if ui.checkbox(&mut on, name(*socket)).changed() {
                                if self.show_all {
                                    self.show_all = false;
                                    self.chosen = plotted.clone();
                                }
                                if on {
                                    self.chosen.insert(*socket);
                                } else {
                                    self.chosen.remove(socket);
                                }
                            }
                        }
                    });
                };
                if active.len() > MAX_LINES_ALL {
                    egui::CollapsingHeader::new(t!(
                        lang,
                        "throughput-choose",
                        count = active.len()
                    ))
                    .id_salt("throughput_sockets")
                    .show(ui, checkboxes);
                } else {
                    checkboxes(ui);
                }
            }
            let width = super::theme::line_width(ui.visuals());
            let dark = ui.visuals().dark_mode;
            // Each line: its name in the legend, an id that does not change with the
            // language (what the legend hides is kept by id), colour, dashed, points.
            type PlotLine = (String, (SocketId, bool), egui::Color32, bool, Vec<[f64; 2]>);
            let lines: Vec<PlotLine> = plotted
                .iter()
                .flat_map(|socket| {
                    let color = socket_color(*socket, dark);
                    let socket_name = name(*socket);
                    [Direction::In, Direction::Out].map(|direction| {
                        let out = direction == Direction::Out;
                        let label = if out {
                            t!(lang, "throughput-out", socket = socket_name.as_str())
                        } else {
                            t!(lang, "throughput-in", socket = socket_name.as_str())
                        };
                        (
                            label,
                            (*socket, out),
                            color,
                            out,
                            self.rates(session, *socket, direction, now_us),
                        )
                    })
                })
                .filter(|(_, _, _, _, points)| points.iter().any(|point| point[1] > 0.0))
                .collect();
            egui_plot::Plot::new("throughput_plot")
                .legend(
                    egui_plot::Legend::default()
                        .text_style(egui::TextStyle::Body)
                        .position(egui_plot::Corner::LeftTop),
                )
                .x_axis_label(t!(lang, "throughput-x-axis"))
                .y_axis_label(t!(lang, "throughput-y-axis"))
                .y_axis_formatter(|mark, _range| rate_text(mark.value))
                .include_x(from as f64 / 1e6)
                .include_x(now_us as f64 / 1e6)
                .include_y(0.0)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .allow_double_click_reset(false)
                .allow_boxed_zoom(false)
                .show(ui, |plot| {
                    for (name, id, color, dashed, points) in lines {
                        let mut line = egui_plot::Line::new(name, points)
                            .id(("throughput_line", id))
                            .color(color)
                            .width(width);
                        if dashed {
                            line = line.style(egui_plot::LineStyle::dashed_loose());
                        }
                        plot.line(line);
                    }
                });
        });
    }
}

/// `1.2 MiB/s`.
pub fn rate_text(bytes_per_second: f64) -> String {
    if bytes_per_second < 0.0 {
        return String::new();
    }
    format!("{}/s", bytes_text(bytes_per_second.round() as u64))
}

/// A colour of its own for each socket, strong enough on dark and on white.
fn socket_color(socket: SocketId, dark: bool) -> egui::Color32 {
    // Golden-ratio steps around the hue circle keep neighbours apart.
    let hue = (f64::from(socket.0) * 0.618_033_988_75).fract() as f32;
    let value = if dark { 0.95 } else { 0.6 };
    egui::ecolor::Hsva::new(hue, 0.85, value, 1.0).into()
}
