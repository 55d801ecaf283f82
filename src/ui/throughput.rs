//! Bytes per second in and out of each socket over the last minute, as a line plot.
//!
//! The rates come from the call log: a send / recv call's `bytes_moved` counts at the time it
//! returned; an automatic summary's `recv_bytes` / `send_bytes` are spread evenly over its
//! period. [`Buckets`] keeps 250 ms buckets per socket and direction (shown as 250 ms or summed
//! into 1 s buckets); [`ThroughputView::update`] reads only the log entries added since the
//! last frame, watches calls still pending until they return, and copes with entries dropped
//! from the front of the log by the session's memory cap (those not read yet are counted as
//! missed).

use super::bytes_text;
use crate::engine::{Call, SocketId};
use crate::session::{LogEntry, Session};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The width of one stored bucket.
pub const BUCKET_US: u64 = 250_000;
/// How far back the plot goes.
pub const WINDOW_US: u64 = 60_000_000;
/// With "all sockets", at most this many (the busiest) are plotted.
pub const MAX_LINES_ALL: usize = 8;
/// Buckets older than this (before the latest time seen) are forgotten.
const KEEP_US: u64 = WINDOW_US + 2_000_000;

/// Which way bytes went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Received (recv, recvfrom, automatic receives).
    In,
    /// Sent (send, sendall, sendto, automatic sends).
    Out,
}

impl Direction {
    fn slot(self) -> usize {
        match self {
            Direction::In => 0,
            Direction::Out => 1,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

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

/// Bytes moved per socket, direction and 250 ms bucket (bucket `k` covers
/// `[k * 250 ms, (k + 1) * 250 ms)` since the engine started).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Buckets {
    series: BTreeMap<SocketId, BTreeMap<u64, [u64; 2]>>,
}

impl Buckets {
    pub fn new() -> Self {
        Buckets::default()
    }

    /// Counts `bytes` at time `at_us`.
    pub fn add(&mut self, socket: SocketId, direction: Direction, at_us: u64, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let slot = self
            .series
            .entry(socket)
            .or_default()
            .entry(at_us / BUCKET_US)
            .or_default();
        slot[direction.slot()] += bytes;
    }

    /// Counts `bytes` spread evenly over `[from_us, to_us)` (all at `to_us` if the period is
    /// empty). The shares add up to `bytes` exactly; at most the last [`KEEP_US`] of a long
    /// period is kept (the share before it is dropped).
    pub fn add_spread(
        &mut self,
        socket: SocketId,
        direction: Direction,
        from_us: u64,
        to_us: u64,
        bytes: u64,
    ) {
        if bytes == 0 {
            return;
        }
        if to_us <= from_us || from_us / BUCKET_US == to_us.saturating_sub(1) / BUCKET_US {
            self.add(socket, direction, from_us.min(to_us), bytes);
            return;
        }
        let span = u128::from(to_us - from_us);
        // Cumulative share up to `at`, so rounding never loses or adds a byte (it is `bytes`
        // at `to_us`).
        let cumulative = |at: u64| (u128::from(bytes) * u128::from(at - from_us) / span) as u64;
        let mut at = from_us.max(to_us.saturating_sub(KEEP_US));
        let mut given = cumulative(at);
        while at < to_us {
            let end = ((at / BUCKET_US + 1) * BUCKET_US).min(to_us);
            let upto = cumulative(end);
            self.add(socket, direction, at, upto - given);
            given = upto;
            at = end;
        }
    }

    /// Forgets buckets that end before `before_us`.
    pub fn prune(&mut self, before_us: u64) {
        let keep_from = before_us / BUCKET_US;
        self.series.retain(|_, buckets| {
            *buckets = buckets.split_off(&keep_from);
            !buckets.is_empty()
        });
    }

    /// Sockets with some bytes counted.
    pub fn sockets(&self) -> impl Iterator<Item = SocketId> + '_ {
        self.series.keys().copied()
    }

    /// Bytes per bucket of `size` for every bucket overlapping `[from_us, to_us)`, zeros
    /// included: `(bucket start in µs, bytes)`.
    pub fn totals(
        &self,
        socket: SocketId,
        direction: Direction,
        size: BucketSize,
        from_us: u64,
        to_us: u64,
    ) -> Vec<(u64, u64)> {
        let width = size.micros();
        let start = from_us / width * width;
        let mut out = Vec::new();
        let mut at = start;
        while at < to_us {
            out.push((at, 0));
            at += width;
        }
        let Some(buckets) = self.series.get(&socket) else {
            return out;
        };
        for (&bucket, counts) in buckets.range(start / BUCKET_US..to_us.div_ceil(BUCKET_US)) {
            let at = bucket * BUCKET_US;
            let index = ((at - start) / width) as usize;
            if let Some(slot) = out.get_mut(index) {
                slot.1 += counts[direction.slot()];
            }
        }
        out
    }

    /// Bytes in and out of one socket in the buckets overlapping `[from_us, to_us)`.
    pub fn bytes_between(&self, socket: SocketId, from_us: u64, to_us: u64) -> u64 {
        self.series.get(&socket).map_or(0, |buckets| {
            buckets
                .range(from_us / BUCKET_US..to_us.div_ceil(BUCKET_US))
                .map(|(_, counts)| counts[0] + counts[1])
                .sum()
        })
    }

    /// All bytes counted for one socket and direction.
    pub fn total(&self, socket: SocketId, direction: Direction) -> u64 {
        self.series.get(&socket).map_or(0, |buckets| {
            buckets
                .values()
                .map(|counts| counts[direction.slot()])
                .sum()
        })
    }
}

fn data_direction(call: &Call) -> Option<Direction> {
    match call.kind().direction() {
        crate::engine::Direction::Out => Some(Direction::Out),
        crate::engine::Direction::In => Some(Direction::In),
        crate::engine::Direction::Control => None,
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
    #[serde(skip)]
    buckets: Buckets,
    /// Absolute log position (dropped + retained index) of the next entry to read.
    #[serde(skip)]
    read_upto: u64,
    /// send / recv calls read while still pending, by absolute log position.
    #[serde(skip)]
    pending: Vec<u64>,
    /// Log entries dropped by the memory cap before they could be read.
    #[serde(skip)]
    missed: u64,
    #[serde(skip)]
    latest_us: u64,
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
            buckets: Buckets::new(),
            read_upto: 0,
            pending: Vec::new(),
            missed: 0,
            latest_us: 0,
        }
    }

    /// The bucket counts read so far.
    pub fn buckets(&self) -> &Buckets {
        &self.buckets
    }

    /// Log entries dropped by the session's memory cap before they were read.
    pub fn missed_entries(&self) -> u64 {
        self.missed
    }

    /// Reads the log entries added since the last call (and calls that returned since).
    pub fn update(&mut self, session: &Session) {
        let base = session.dropped_log_entries();
        let end = base + session.log_len() as u64;
        if end < self.read_upto {
            // A different (new) session: start again.
            *self = ThroughputView {
                bucket: self.bucket,
                show_all: self.show_all,
                chosen: std::mem::take(&mut self.chosen),
                ..ThroughputView::new()
            };
        }
        if self.read_upto < base {
            self.missed += base - self.read_upto;
            self.read_upto = base;
        }
        // Calls that were pending when read: count them once they returned.
        let pending = std::mem::take(&mut self.pending);
        for abs in pending {
            if abs < base {
                continue;
            }
            if let Some(LogEntry::Call(record)) = session.log_entry((abs - base) as usize) {
                if record.is_pending() {
                    self.pending.push(abs);
                } else if let Some(direction) = data_direction(&record.call) {
                    let at = record.returned_us.unwrap_or(record.started_us);
                    self.latest_us = self.latest_us.max(at);
                    self.buckets
                        .add(record.socket, direction, at, record.bytes_moved as u64);
                }
            }
        }
        for abs in self.read_upto..end {
            match session.log_entry((abs - base) as usize) {
                Some(LogEntry::Call(record)) => {
                    let Some(direction) = data_direction(&record.call) else {
                        continue;
                    };
                    if record.is_pending() {
                        self.pending.push(abs);
                        continue;
                    }
                    let at = record.returned_us.unwrap_or(record.started_us);
                    self.latest_us = self.latest_us.max(at);
                    self.buckets
                        .add(record.socket, direction, at, record.bytes_moved as u64);
                }
                Some(LogEntry::Auto(summary)) => {
                    self.latest_us = self.latest_us.max(summary.to_us);
                    self.buckets.add_spread(
                        summary.socket,
                        Direction::In,
                        summary.from_us,
                        summary.to_us,
                        summary.recv_bytes,
                    );
                    self.buckets.add_spread(
                        summary.socket,
                        Direction::Out,
                        summary.from_us,
                        summary.to_us,
                        summary.send_bytes,
                    );
                }
                None => {}
            }
        }
        self.read_upto = end;
        self.buckets.prune(
            self.latest_us
                .max(session.latest_us())
                .saturating_sub(KEEP_US),
        );
    }

    /// `(seconds since start, bytes per second)` for each bucket of the minute before `now_us`.
    pub fn rates(&self, socket: SocketId, direction: Direction, now_us: u64) -> Vec<[f64; 2]> {
        let width = self.bucket.micros();
        let from = now_us.saturating_sub(WINDOW_US);
        self.buckets
            .totals(socket, direction, self.bucket, from, now_us.max(1))
            .into_iter()
            .map(|(at, bytes)| [at as f64 / 1e6, bytes as f64 / (width as f64 / 1e6)])
            .collect()
    }

    /// The settings row, the socket choice and the plot. `now_us`: the engine's clock.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, now_us: u64) {
        self.update(session);
        let now_us = now_us.max(self.latest_us);
        let from = now_us.saturating_sub(WINDOW_US);
        // Sockets with traffic in the window, in id order, with their bytes.
        let active: Vec<(SocketId, u64)> = self
            .buckets
            .sockets()
            .map(|socket| (socket, self.buckets.bytes_between(socket, from, now_us + 1)))
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
        ui.push_id("throughput", |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label("Bytes per second, last 60 s, in buckets of");
                for size in [BucketSize::Second, BucketSize::QuarterSecond] {
                    ui.selectable_value(&mut self.bucket, size, size.label());
                }
                ui.separator();
                ui.checkbox(&mut self.show_all, "all sockets")
                    .on_hover_text(format!(
                        "Show every socket that moved data (the {MAX_LINES_ALL} busiest when more \
                     did); otherwise the ones ticked"
                    ));
                if active.is_empty() {
                    ui.label("No data moved in the last minute.");
                } else if self.show_all && active.len() > MAX_LINES_ALL {
                    ui.label(format!(
                        "the {MAX_LINES_ALL} busiest of {} sockets shown",
                        active.len()
                    ));
                }
                if self.missed > 0 {
                    ui.colored_label(
                        super::theme::warn_color(ui.visuals()),
                        format!(
                            "{} log entries were dropped (memory cap) before they were counted",
                            self.missed
                        ),
                    );
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
                    egui::CollapsingHeader::new(format!(
                        "choose sockets ({} moved data)",
                        active.len()
                    ))
                    .id_salt("throughput_sockets")
                    .show(ui, checkboxes);
                } else {
                    checkboxes(ui);
                }
            }
            let width = super::theme::line_width(ui.visuals());
            let dark = ui.visuals().dark_mode;
            let lines: Vec<(String, egui::Color32, bool, Vec<[f64; 2]>)> = plotted
                .iter()
                .flat_map(|socket| {
                    let color = socket_color(*socket, dark);
                    let socket_name = name(*socket);
                    [Direction::In, Direction::Out].map(|direction| {
                        (
                            format!("{socket_name} {}", direction.label()),
                            color,
                            direction == Direction::Out,
                            self.rates(*socket, direction, now_us),
                        )
                    })
                })
                .filter(|(_, _, _, points)| points.iter().any(|point| point[1] > 0.0))
                .collect();
            egui_plot::Plot::new("throughput_plot")
                .legend(
                    egui_plot::Legend::default()
                        .text_style(egui::TextStyle::Body)
                        .position(egui_plot::Corner::LeftTop),
                )
                .x_axis_label("seconds since start")
                .y_axis_label("bytes per second")
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
                    for (name, color, dashed, points) in lines {
                        let mut line = egui_plot::Line::new(name, points).color(color).width(width);
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

#[cfg(test)]
mod tests {
    use super::*;

    const S: SocketId = SocketId(1);

    #[test]
    fn sends_over_three_seconds_give_per_second_totals() {
        let mut buckets = Buckets::new();
        // 10 sends of 100 bytes in second 0, 20 of 50 in second 1, 1 of 7 in second 2.
        for n in 0..10 {
            buckets.add(S, Direction::Out, n * 90_000, 100);
        }
        for n in 0..20 {
            buckets.add(S, Direction::Out, 1_000_000 + n * 40_000, 50);
        }
        buckets.add(S, Direction::Out, 2_999_999, 7);
        let totals = buckets.totals(S, Direction::Out, BucketSize::Second, 0, 3_000_000);
        assert_eq!(totals, vec![(0, 1_000), (1_000_000, 1_000), (2_000_000, 7)]);
        assert_eq!(
            buckets.totals(S, Direction::In, BucketSize::Second, 0, 3_000_000),
            vec![(0, 0), (1_000_000, 0), (2_000_000, 0)]
        );
        let quarters = buckets.totals(S, Direction::Out, BucketSize::QuarterSecond, 0, 1_000_000);
        // Sends at 0, 90, 180 ms | 270, 360, 450 | 540, 630, 720 | 810 ms.
        assert_eq!(
            quarters,
            vec![(0, 300), (250_000, 300), (500_000, 300), (750_000, 100)]
        );
    }

    #[test]
    fn a_spread_period_adds_up_exactly() {
        let mut buckets = Buckets::new();
        // 1,000 bytes over 0.1 .. 1.1 s: 900 in second 0, 100 in second 1.
        buckets.add_spread(S, Direction::In, 100_000, 1_100_000, 1_000);
        let totals = buckets.totals(S, Direction::In, BucketSize::Second, 0, 2_000_000);
        assert_eq!(totals, vec![(0, 900), (1_000_000, 100)]);
        // Awkward numbers still add up.
        let mut buckets = Buckets::new();
        buckets.add_spread(S, Direction::In, 1, 2_999_998, 1_001);
        assert_eq!(buckets.total(S, Direction::In), 1_001);
        // An empty period counts at its time.
        buckets.add_spread(S, Direction::Out, 5_000_000, 5_000_000, 9);
        assert_eq!(buckets.total(S, Direction::Out), 9);
    }

    #[test]
    fn old_buckets_are_pruned() {
        let mut buckets = Buckets::new();
        buckets.add(S, Direction::In, 0, 5);
        buckets.add(S, Direction::In, 100_000_000, 6);
        buckets.prune(50_000_000);
        assert_eq!(buckets.total(S, Direction::In), 6);
        buckets.prune(200_000_000);
        assert_eq!(buckets.sockets().count(), 0);
    }
}
