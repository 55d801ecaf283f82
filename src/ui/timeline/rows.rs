//! The stage's time axis: one row per call instead of time to scale. On a projector a step's
//! calls take microseconds and its sleeps hundreds of milliseconds; to scale, the calls would
//! be drawn over each other. Here every moment something starts gets a row of its own (so no
//! two labels of a lane meet), a return gets a short one (so every bar has a height), and a
//! long wait gets a little more room, growing with the logarithm of its length (so a call
//! blocked for a second looks longer than one that returned at once).

use crate::session::{LogEntry, Session};
use egui::Rect;
use std::collections::HashSet;

use crate::engine::{Origin, SocketId};

/// A step with more entries than this is fitted to scale instead (a flood has no rows).
pub const MAX_STEP_ENTRIES: usize = 400;
/// At most this many entries of earlier steps are placed above the step.
const MAX_EARLIER_ENTRIES: usize = 120;
/// Segments of the wire given rows of their own, at most.
const MAX_SEGMENT_ROWS: usize = 60;
/// A segment's row, as tall as a start's (its label is one line; a tight step keeps it).
const SEGMENT_ROW: f32 = 1.0;
/// A return's row, as a part of a start's.
const END_ROW: f32 = 0.35;
/// A wait longer than this gets extra room.
const WAIT_FROM_US: f64 = 20_000.0;

/// Times and where they are drawn (points below the diagram's top), in time order.
#[derive(Clone, Debug, Default)]
pub struct RowAxis {
    knots: Vec<(u64, f32)>,
    /// The first log position the axis placed (earlier entries are above the top).
    pub first_position: usize,
}

impl RowAxis {
    /// Rows for the entries of `lanes` from the step starting at log position `step_from`
    /// (and as many earlier ones as fit above it), in a diagram `height` points tall whose
    /// rows are `min_row` points (a line of text) or more; a step too long for that gets rows
    /// down to `least_row` (its labels then skip where they would meet). None when the step is
    /// too long for rows at all.
    pub fn build(
        session: &Session,
        lanes: &HashSet<SocketId>,
        step_from: usize,
        now: u64,
        height: f32,
        min_row: f32,
        least_row: f32,
    ) -> Option<RowAxis> {
        let end = session.log_len();
        if end.saturating_sub(step_from) > MAX_STEP_ENTRIES {
            return None;
        }
        // (time, rows it needs) of every entry in the lanes: a start a row, a return a short
        // one; a call of automatic behaviour (a receive loop's thousand recvs) a short one too.
        let mut times: Vec<(u64, f32)> = Vec::new();
        let add = |entry: &LogEntry, times: &mut Vec<(u64, f32)>| {
            let automatic =
                matches!(entry, LogEntry::Call(record) if record.origin == Origin::Auto);
            times.push((entry.at_us(), if automatic { END_ROW } else { 1.0 }));
            times.push((entry.end_us().unwrap_or(now).min(now), END_ROW));
        };
        let mut step_start_us = None;
        for n in step_from..end {
            let Some(entry) = session.log_entry(n).filter(|e| lanes.contains(&e.socket())) else {
                continue;
            };
            if entry.at_us() > now {
                continue;
            }
            step_start_us.get_or_insert(entry.at_us());
            add(entry, &mut times);
        }
        let mut first_position = step_from;
        let mut earlier = 0;
        for n in (0..step_from).rev() {
            if earlier >= MAX_EARLIER_ENTRIES {
                break;
            }
            let Some(entry) = session.log_entry(n) else {
                break;
            };
            first_position = n;
            if lanes.contains(&entry.socket()) {
                add(entry, &mut times);
                earlier += 1;
            }
        }
        // Each segment of the wire between these lanes gets a row of its own too, so the
        // handshake's three arrows (inside one connect() of a few microseconds) are three
        // arrows, not one. The newest first, up to a bound (a flood is summarised).
        if let Some(from_us) = times.iter().map(|(at, _)| *at).min() {
            let mut segments: Vec<u64> = session
                .wire()
                .segments()
                .rev()
                .take_while(|segment| segment.segment.at_us >= from_us)
                .filter(|segment| {
                    segment.segment.at_us <= now
                        && [segment.from_lane, segment.to_lane]
                            .iter()
                            .flatten()
                            .any(|lane| lanes.contains(lane))
                })
                .map(|segment| segment.segment.at_us)
                .take(MAX_SEGMENT_ROWS)
                .collect();
            segments.sort_unstable();
            times.extend(segments.into_iter().map(|at| (at, SEGMENT_ROW)));
        }
        if times.is_empty() {
            return Some(RowAxis {
                knots: vec![(now, 0.0)],
                first_position,
            });
        }
        times.sort_unstable_by_key(|(at, _)| *at);
        // One knot per distinct time, as tall as the tallest thing at that time.
        let mut merged: Vec<(u64, f32)> = Vec::with_capacity(times.len());
        for (at, rows) in times {
            match merged.last_mut() {
                Some((last, last_rows)) if *last == at => *last_rows = last_rows.max(rows),
                _ => merged.push((at, rows)),
            }
        }
        // Positions in rows, then scaled so the step fits.
        // Tight (`roomy` false): waits get no extra room and returns no row of their own (a
        // bar keeps its least height; the next start is a row further on).
        let units_of = |roomy: bool| -> Vec<f32> {
            let mut units = Vec::with_capacity(merged.len());
            let mut position = 0.0_f32;
            for (index, (at, rows)) in merged.iter().enumerate() {
                if index > 0 {
                    let waited = (*at - merged[index - 1].0) as f64;
                    let wait_room = if roomy && waited > WAIT_FROM_US {
                        ((waited / WAIT_FROM_US).log10() as f32 * 0.6).min(1.5)
                    } else {
                        0.0
                    };
                    let rows = if roomy || *rows >= 1.0 { *rows } else { 0.0 };
                    position += rows + wait_room;
                }
                units.push(position);
            }
            units
        };
        let mut units = units_of(true);
        let step_first = step_start_us
            .and_then(|start| merged.iter().position(|(at, _)| *at >= start))
            .unwrap_or(merged.len() - 1);
        let mut step_units = units[units.len() - 1] - units[step_first];
        // A row a little taller than a line of text (more when there is room), with a line
        // below the step's last row for its label; when even that does not fit, rows down to
        // `least_row` (and only a bar's room below if the line does not fit either).
        let top = least_row * 0.5;
        let roomy = height - top - min_row;
        let (row, bottom) = if step_units * min_row <= roomy {
            ((roomy / step_units.max(1.0)).min(min_row * 2.2), min_row)
        } else {
            units = units_of(false);
            step_units = units[units.len() - 1] - units[step_first];
            // Still a line below for the last label (often the step's point, an error), unless
            // even the least rows need that room.
            let bottom = if (height - top - min_row) / step_units.max(1.0) >= least_row {
                min_row
            } else {
                least_row
            };
            let tight = height - top - bottom;
            ((tight / step_units.max(1.0)).max(least_row), bottom)
        };
        let step_height = step_units * row;
        // Earlier steps above, as much of them as the space above the step allows. A step
        // taller than the room even at the least rows shows its end (its last calls, what
        // the narration is about); its first calls go off the top.
        let above = if step_height > height - top - bottom {
            height - step_height - bottom
        } else {
            (units[step_first] * row + top)
                .min(height - step_height - bottom)
                .max(top)
        };
        let offset = above - units[step_first] * row;
        let knots = merged
            .iter()
            .zip(&units)
            .map(|((at, _), unit)| (*at, offset + unit * row))
            .collect();
        Some(RowAxis {
            knots,
            first_position,
        })
    }

    /// Where `at_us` is drawn, in points below the top (between knots, in proportion).
    pub fn y(&self, at_us: u64) -> f32 {
        let index = self.knots.partition_point(|(at, _)| *at < at_us);
        match (
            index.checked_sub(1).map(|i| self.knots[i]),
            self.knots.get(index),
        ) {
            (_, Some((at, y))) if *at == at_us => *y,
            (Some((t0, y0)), Some((t1, y1))) => {
                y0 + (y1 - y0) * ((at_us - t0) as f64 / (t1 - t0).max(1) as f64) as f32
            }
            (None, Some((_, y))) => y - 1.0,
            (Some((_, y)), None) => y,
            (None, None) => 0.0,
        }
    }

    /// The time drawn at `y` points below the top (the inverse of [`RowAxis::y`]).
    pub fn time_at(&self, y: f32) -> f64 {
        let index = self.knots.partition_point(|(_, at_y)| *at_y < y);
        match (
            index.checked_sub(1).map(|i| self.knots[i]),
            self.knots.get(index).copied(),
        ) {
            (Some((t0, y0)), Some((t1, y1))) if y1 > y0 => {
                t0 as f64 + (t1 - t0) as f64 * f64::from((y - y0) / (y1 - y0))
            }
            (_, Some((at, _))) => at as f64,
            (Some((at, _)), None) => at as f64 + 1.0,
            (None, None) => 0.0,
        }
    }

    /// The y of the first time at or after `at_us` that is on the axis, if it is inside `body`
    /// (for the step separators).
    pub fn y_in(&self, at_us: u64, body: Rect) -> Option<f32> {
        let y = body.top() + self.y(at_us);
        (y >= body.top() && y <= body.bottom()).then_some(y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(knots: &[(u64, f32)]) -> RowAxis {
        RowAxis {
            knots: knots.to_vec(),
            first_position: 0,
        }
    }

    #[test]
    fn y_and_time_at_are_inverse_between_knots() {
        let rows = axis(&[(100, 0.0), (200, 30.0), (1_000, 40.0)]);
        assert_eq!(rows.y(100), 0.0);
        assert_eq!(rows.y(150), 15.0);
        assert_eq!(rows.y(600), 35.0);
        assert_eq!(rows.y(5_000), 40.0);
        assert!(rows.y(50) < 0.0);
        assert_eq!(rows.time_at(15.0), 150.0);
        assert_eq!(rows.time_at(35.0), 600.0);
    }
}
