//! The calls of all sockets as one table (PRODUCT part 6, "also as a plain table of calls"):
//! time, socket, call, arguments, result, duration, bytes and origin; sortable by clicking a
//! column header, filterable by text and by socket, and exportable as CSV or JSON.
//!
//! # Smooth with a million rows
//! * Only the rows on screen are laid out (`egui_extras` `TableBody::rows`), and their text is
//!   made from the session when drawn.
//! * Which rows are shown, in which order, is an index of log positions kept sorted by the
//!   chosen column, with the sort keys beside them (24 bytes a row; text columns sort by
//!   their first 16 bytes, then in log order). It is built once when the sort column, the
//!   filter or a socket's name changes, reading at most 4 ms of log entries per frame (the row
//!   count grows while it is built), and after that only the new log entries are read. New rows that sort after every row already shown
//!   (the usual case when sorted by time) are appended; others are merged in with one copy of
//!   the index, at most every 250 ms (every 250 ms per 200,000 rows for a big index).
//! * Descending order shows the same ascending index from the end, so reversing is free.
//! * A call still pending is checked each frame until it returns; when the sort column or the
//!   filter depends on its result, it is then re-sorted (with the next merge).
//! * Log entries dropped by the session's memory cap leave the index at the next merge.

use super::call_export::ExportJob;
use super::{bytes_text, duration_text};
use crate::codegen::{python_value, received_bytes};
use crate::engine::event::{AutoSummary, CancelReason};
use crate::engine::{CallKind, Origin, Outcome, SocketId, Value};
use crate::i18n::{Lang, outcome_words};
use crate::session::{CallRecord, LogEntry, Session};
use crate::t;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long indexing may take in one frame.
const FRAME_BUDGET: Duration = Duration::from_millis(4);
/// New rows that do not simply go at the end are merged in at most this often.
const MERGE_INTERVAL: Duration = Duration::from_millis(250);
/// Below this many rows a merge is cheap enough to do every frame.
const SMALL_INDEX: usize = 50_000;
/// A merge into a large index goes on over several frames: this much work per frame (a row
/// copied is 1, a new row placed by binary search is `PLACE_COST`), about 2 ms.
const MERGE_WORK_PER_FRAME: usize = 60_000;
const PLACE_COST: usize = 8;
/// How many entries are looked at between two checks of the clock.
const CLOCK_EVERY: usize = 2_048;

/// A column of the table, also the sort key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Column {
    #[default]
    Time,
    Socket,
    Call,
    Arguments,
    Result,
    Duration,
    Bytes,
    Origin,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Time,
        Column::Socket,
        Column::Call,
        Column::Arguments,
        Column::Result,
        Column::Duration,
        Column::Bytes,
        Column::Origin,
    ];

    /// The column's name in files: the CSV / JSON field name (with `_` for spaces), the same
    /// in every language.
    pub fn label(self) -> &'static str {
        match self {
            Column::Time => "time",
            Column::Socket => "socket",
            Column::Call => "call",
            Column::Arguments => "arguments",
            Column::Result => "result",
            Column::Duration => "duration",
            Column::Bytes => "bytes",
            Column::Origin => "origin",
        }
    }

    /// The header text, in the window's language.
    pub fn title(self, lang: Lang) -> String {
        match self {
            Column::Time => t!(lang, "table-column-time"),
            Column::Socket => t!(lang, "table-column-socket"),
            Column::Call => t!(lang, "table-column-call"),
            Column::Arguments => t!(lang, "table-column-arguments"),
            Column::Result => t!(lang, "table-column-result"),
            Column::Duration => t!(lang, "table-column-duration"),
            Column::Bytes => t!(lang, "table-column-bytes"),
            Column::Origin => t!(lang, "table-column-origin"),
        }
    }

    /// Whether a pending call's key in this column changes when it returns.
    fn depends_on_outcome(self) -> bool {
        matches!(self, Column::Result | Column::Duration | Column::Bytes)
    }
}

/// The text of one row, as shown (and exported).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowText {
    /// Seconds since the engine started, 3 decimals: `12.345`.
    pub time: String,
    pub socket: String,
    /// The call's name (`recv`), or `auto` for a summary of automatic calls.
    pub call: String,
    /// Python notation, without parentheses.
    pub arguments: String,
    /// The value, the errno name, `timed out`, `cancelled`, `pending`; for a summary
    /// `120 recv calls, 1.2 MiB`.
    pub result: String,
    /// `40 µs`, `12 ms`, empty while pending.
    pub duration: String,
    /// Bytes sent or received; empty for calls that move no data.
    pub bytes: String,
    /// `user`, `script` or `auto`.
    pub origin: String,
}

impl RowText {
    pub fn cell(&self, column: Column) -> &str {
        match column {
            Column::Time => &self.time,
            Column::Socket => &self.socket,
            Column::Call => &self.call,
            Column::Arguments => &self.arguments,
            Column::Result => &self.result,
            Column::Duration => &self.duration,
            Column::Bytes => &self.bytes,
            Column::Origin => &self.origin,
        }
    }
}

/// `1.234` seconds from microseconds.
pub fn seconds_text(us: u64) -> String {
    format!("{}.{:03}", us / 1_000_000, (us % 1_000_000) / 1_000)
}

/// Who made a call: `user`, `script` or `auto` (in English).
pub fn origin_text(lang: Lang, origin: Origin) -> String {
    match origin {
        Origin::User => t!(lang, "table-origin-user"),
        Origin::Script => t!(lang, "table-origin-script"),
        Origin::Auto => t!(lang, "table-origin-auto"),
    }
}

/// The short result of a call, in the words every view uses: `5`, `None`, `b'hi'`,
/// `ECONNREFUSED`, `timed out`, `pending`.
pub fn result_text(lang: Lang, session: &Session, record: &CallRecord) -> String {
    let value = |value: &Value| {
        let names = |socket: SocketId| session.socket_name(socket);
        let data = received_bytes(session, record);
        python_value(&record.call, record.from.as_ref(), value, &names, data)
    };
    outcome_words(lang, record.outcome.as_ref(), record.call.name(), value).result
}

/// `120 recv calls, 1.2 MiB; 3 send calls, 20 B; 1 error` (in English).
pub fn auto_text(lang: Lang, summary: &AutoSummary) -> String {
    let mut parts = Vec::new();
    if summary.recv_calls > 0 || summary.send_calls == 0 {
        parts.push(t!(
            lang,
            "table-auto-recv",
            count = summary.recv_calls,
            bytes = bytes_text(summary.recv_bytes)
        ));
    }
    if summary.send_calls > 0 {
        parts.push(t!(
            lang,
            "table-auto-send",
            count = summary.send_calls,
            bytes = bytes_text(summary.send_bytes)
        ));
    }
    if summary.errors > 0 {
        parts.push(t!(lang, "table-auto-errors", count = summary.errors));
    }
    parts.join(&t!(lang, "table-auto-separator"))
}

fn moves_data(record: &CallRecord) -> bool {
    use crate::engine::Call;
    matches!(
        record.call,
        Call::Send { .. }
            | Call::SendAll { .. }
            | Call::SendTo { .. }
            | Call::Recv { .. }
            | Call::RecvFrom { .. }
    )
}

fn entry_duration_us(entry: &LogEntry) -> Option<u64> {
    match entry {
        LogEntry::Call(record) => record.duration_us,
        LogEntry::Auto(summary) => Some(summary.to_us.saturating_sub(summary.from_us)),
    }
}

fn entry_bytes(entry: &LogEntry) -> Option<u64> {
    match entry {
        LogEntry::Call(record) if moves_data(record) => Some(record.bytes_moved as u64),
        LogEntry::Call(_) => None,
        LogEntry::Auto(summary) => Some(summary.recv_bytes + summary.send_bytes),
    }
}

/// The text of every column of one log entry.
pub fn row_text(lang: Lang, session: &Session, entry: &LogEntry) -> RowText {
    let duration = entry_duration_us(entry)
        .map(duration_text)
        .unwrap_or_default();
    let bytes = entry_bytes(entry)
        .map(|b| b.to_string())
        .unwrap_or_default();
    match entry {
        LogEntry::Call(record) => RowText {
            time: seconds_text(record.started_us),
            socket: session.socket_name(record.socket),
            call: record.call.name().into(),
            arguments: record.call.args_text(),
            result: result_text(lang, session, record),
            duration,
            bytes,
            origin: origin_text(lang, record.origin),
        },
        LogEntry::Auto(summary) => RowText {
            time: seconds_text(summary.from_us),
            socket: session.socket_name(summary.socket),
            call: t!(lang, "table-call-auto"),
            arguments: String::new(),
            result: auto_text(lang, summary),
            duration,
            bytes,
            origin: origin_text(lang, Origin::Auto),
        },
    }
}

/// A row's text with its numbers unformatted (for files).
pub struct RowCells {
    pub text: RowText,
    pub duration_us: Option<u64>,
    pub bytes: Option<u64>,
}

/// Files are written in English whatever the window's language, so that a file reads the same
/// to the program that reads it.
pub fn row_cells(session: &Session, entry: &LogEntry) -> RowCells {
    RowCells {
        text: row_text(Lang::En, session, entry),
        duration_us: entry_duration_us(entry),
        bytes: entry_bytes(entry),
    }
}

/// Where a call sorts by name: alphabetically (CallKind is declared in that order), with
/// "auto" (the summaries) between accept and bind.
fn call_rank(kind: Option<CallKind>) -> u64 {
    match kind {
        Some(CallKind::Accept) => 0,
        None => 1,
        Some(kind) => kind as u64 + 1,
    }
}

fn entry_kind(entry: &LogEntry) -> Option<CallKind> {
    match entry {
        LogEntry::Call(record) => Some(record.call.kind()),
        LogEntry::Auto(_) => None,
    }
}

/// The call column's text: the call's name, or `auto` (in English) for a summary.
fn entry_call_name(lang: Lang, entry: &LogEntry) -> std::borrow::Cow<'static, str> {
    match entry_kind(entry) {
        Some(kind) => kind.name().into(),
        None => t!(lang, "table-call-auto").into(),
    }
}

/// One row of the index: its sort key and its absolute log position (the tie-breaker).
/// Small and `Copy`, so sorting and merging a million of them is quick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    major: u64,
    minor: u64,
    abs: u64,
}

/// The first 8 bytes of `text` from `skip`, as a big-endian number (so numbers compare as
/// the text does; shorter text sorts first).
fn text_prefix(text: &[u8], skip: usize) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(text.iter().skip(skip)) {
        *slot = *byte;
    }
    u64::from_be_bytes(bytes)
}

/// A text key: its first 16 bytes (texts alike beyond that keep their time order).
fn text_key(text: &str) -> (u64, u64) {
    let bytes = text.as_bytes();
    (text_prefix(bytes, 0), text_prefix(bytes, 8))
}

fn sort_key(column: Column, entry: &LogEntry, names: &HashMap<SocketId, String>) -> Row {
    let (major, minor) = match column {
        Column::Time => (entry.at_us(), 0),
        Column::Socket => match names.get(&entry.socket()) {
            Some(name) => text_key(name),
            None => text_key(&entry.socket().to_string()),
        },
        Column::Call => (call_rank(entry_kind(entry)), 0),
        // The call first, then the first 15 bytes of its arguments.
        Column::Arguments => match entry {
            LogEntry::Call(record) => {
                let args = record.call.args_text();
                let bytes = args.as_bytes();
                (
                    call_rank(Some(record.call.kind())) << 56 | text_prefix(bytes, 0) >> 8,
                    text_prefix(bytes, 7),
                )
            }
            LogEntry::Auto(_) => (call_rank(None) << 56, 0),
        },
        Column::Result => match entry {
            LogEntry::Call(record) => match &record.outcome {
                Some(Outcome::Ok(value)) => match value {
                    Value::None => (0, 0),
                    // Negative numbers before positive ones.
                    Value::Int(number) => (1, (*number as u64) ^ (1 << 63)),
                    Value::Bytes(count) => (2, *count as u64),
                    other => (3, text_prefix(other.to_string().as_bytes(), 0)),
                },
                Some(Outcome::Errno(code)) => (
                    4,
                    text_prefix(crate::engine::errno::name(*code).as_bytes(), 1),
                ),
                Some(Outcome::TimedOut { timeout_ms }) => (5, *timeout_ms),
                Some(Outcome::Cancelled(reason)) => (6, u64::from(*reason == CancelReason::Closed)),
                Some(Outcome::Invalid(message)) => (7, text_prefix(message.as_bytes(), 0)),
                None => (9, 0),
            },
            LogEntry::Auto(summary) => (8, summary.recv_calls + summary.send_calls),
        },
        Column::Duration => (entry_duration_us(entry).unwrap_or(u64::MAX), 0),
        Column::Bytes => (entry_bytes(entry).map_or(0, |bytes| bytes + 1), 0),
        Column::Origin => {
            let origin = match entry {
                LogEntry::Call(record) => record.origin,
                LogEntry::Auto(_) => Origin::Auto,
            };
            let rank = match origin {
                Origin::User => 0,
                Origin::Script => 1,
                Origin::Auto => 2,
            };
            (rank, 0)
        }
    };
    Row {
        major,
        minor,
        abs: 0,
    }
}

/// What the index is built for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Params {
    column: Column,
    /// Lower-case filter text (empty: no text filter).
    needle: String,
    socket: Option<SocketId>,
    /// Only these sockets' rows (sorted), when set.
    only: Option<Vec<SocketId>>,
    /// The filter matches the results as they read in this language.
    lang: Lang,
}

/// Which log entries are shown, sorted (see the module docs).
#[derive(Debug)]
struct Index {
    params: Option<Params>,
    /// Socket names the index was built with (sorting and filtering by name).
    names: HashMap<SocketId, String>,
    /// Their lower-case form, for the filter.
    names_lower: HashMap<SocketId, String>,
    /// Sorted ascending.
    rows: Vec<Row>,
    /// Rows looked at, not yet merged into `rows` (unsorted).
    fresh: Vec<Row>,
    /// Absolute log positions to take out of `rows` at the next merge (sorted on use).
    stale: Vec<u64>,
    /// Absolute position of the next log entry to look at.
    scanned: u64,
    /// Calls seen pending, by absolute position.
    pending: Vec<u64>,
    /// The session's dropped count when `rows` was last cleaned of dropped entries.
    pruned_at: u64,
    /// The session's [`Session::log_sweeps`] the index was built with.
    sweeps: u64,
    last_merge: Option<Instant>,
    /// A merge under way: `rows` is shown unchanged until it is done.
    merging: Option<Merging>,
}

/// A merge of new rows into `rows`, done a part per frame.
#[derive(Debug)]
struct Merging {
    /// The new rows, sorted.
    fresh: Vec<Row>,
    next_fresh: usize,
    /// Rows of `rows` looked at so far.
    copied: usize,
    merged: Vec<Row>,
    /// Rows of entries below `base` (dropped) or in `stale` are left out.
    base: u64,
    stale: Vec<u64>,
    filtering: bool,
}

impl Index {
    fn new() -> Self {
        Index {
            params: None,
            names: HashMap::new(),
            names_lower: HashMap::new(),
            rows: Vec::new(),
            fresh: Vec::new(),
            stale: Vec::new(),
            scanned: 0,
            pending: Vec::new(),
            pruned_at: 0,
            sweeps: 0,
            last_merge: None,
            merging: None,
        }
    }

    fn reset(&mut self, params: Params, session: &Session) {
        self.params = Some(params);
        self.rows = Vec::new();
        self.fresh.clear();
        self.stale.clear();
        self.pending.clear();
        self.scanned = session.log_first_mark();
        self.sweeps = session.log_sweeps();
        self.pruned_at = self.scanned;
        self.last_merge = None;
        self.merging = None;
    }

    fn matches(&self, session: &Session, params: &Params, entry: &LogEntry) -> bool {
        if params.socket.is_some_and(|socket| socket != entry.socket()) {
            return false;
        }
        if let Some(only) = &params.only
            && only.binary_search(&entry.socket()).is_err()
        {
            return false;
        }
        if params.needle.is_empty() {
            return true;
        }
        if entry_call_name(params.lang, entry)
            .to_lowercase()
            .contains(params.needle.as_str())
        {
            return true;
        }
        if self
            .names_lower
            .get(&entry.socket())
            .is_some_and(|name| name.contains(params.needle.as_str()))
        {
            return true;
        }
        let result = match entry {
            LogEntry::Call(record) => result_text(params.lang, session, record),
            LogEntry::Auto(summary) => auto_text(params.lang, summary),
        };
        result.to_lowercase().contains(params.needle.as_str())
    }

    fn evaluate(&mut self, session: &Session, params: &Params, entry: &LogEntry, abs: u64) {
        if self.matches(session, params, entry) {
            let mut row = sort_key(params.column, entry, &self.names);
            row.abs = abs;
            self.fresh.push(row);
        }
    }

    /// Brings the index up to date, working at most `budget` (None: until done).
    fn refresh(&mut self, session: &Session, params: Params, budget: Option<Duration>) {
        let started = Instant::now();
        // Renamed sockets change sorting and filtering: start again.
        let mut renamed = false;
        for view in session.sockets() {
            match self.names.get(&view.id) {
                Some(name) if *name == view.name => {}
                Some(_) => {
                    renamed = true;
                    self.names.insert(view.id, view.name.clone());
                    self.names_lower.insert(view.id, view.name.to_lowercase());
                }
                None => {
                    self.names.insert(view.id, view.name.clone());
                    self.names_lower.insert(view.id, view.name.to_lowercase());
                }
            }
        }
        let swept = self.sweeps != session.log_sweeps();
        if swept {
            // Forgotten sockets' entries left the log: their rows and names go too.
            self.names.retain(|id, _| session.socket(*id).is_some());
            self.names_lower
                .retain(|id, _| session.socket(*id).is_some());
        }
        if renamed || swept || self.params.as_ref() != Some(&params) {
            self.reset(params.clone(), session);
        }

        let base = session.log_first_mark();
        let end = session.log_mark();
        self.scanned = self.scanned.max(base);

        // Calls that were pending: once returned, their result may move or filter them.
        let requeue = params.column.depends_on_outcome() || !params.needle.is_empty();
        let mut still_pending = Vec::with_capacity(self.pending.len());
        let mut returned = Vec::new();
        for &abs in &self.pending {
            if abs < base {
                continue;
            }
            match session.log_entry_at_mark(abs) {
                Some(LogEntry::Call(record)) if record.is_pending() => still_pending.push(abs),
                Some(entry) if requeue => returned.push((abs, entry)),
                _ => {}
            }
        }
        self.pending = still_pending;
        if !returned.is_empty() {
            // Their old rows go: from `fresh` now, from `rows` at the next merge.
            let mut gone: Vec<u64> = returned.iter().map(|(abs, _)| *abs).collect();
            gone.sort_unstable();
            self.fresh
                .retain(|row| gone.binary_search(&row.abs).is_err());
            self.stale.extend_from_slice(&gone);
        }
        for (abs, entry) in returned {
            self.evaluate(session, &params, entry, abs);
        }

        // New entries.
        let mut looked = 0usize;
        while self.scanned < end {
            let abs = self.scanned;
            if let Some(entry) = session.log_entry_at_mark(abs) {
                if let LogEntry::Call(record) = entry
                    && record.is_pending()
                {
                    self.pending.push(abs);
                }
                self.evaluate(session, &params, entry, abs);
            }
            self.scanned += 1;
            looked += 1;
            if looked.is_multiple_of(CLOCK_EVERY)
                && budget.is_some_and(|budget| started.elapsed() >= budget)
            {
                break;
            }
        }

        self.merge(base, budget.is_none());
    }

    fn merge(&mut self, base: u64, force: bool) {
        let work = if force {
            usize::MAX
        } else {
            MERGE_WORK_PER_FRAME
        };
        if self.merging.is_some() {
            self.step_merge(work);
            // New rows wait for the next merge, unless everything is wanted now.
            if self.merging.is_some() || !force {
                return;
            }
        }
        let prune = base > self.pruned_at;
        if self.fresh.is_empty() && self.stale.is_empty() && !prune {
            return;
        }
        // The usual case when sorted by time: everything new comes in order and goes at the
        // end. (Rows of entries dropped meanwhile are taken out by the next full merge.) Not
        // sorted here: between merges `fresh` grows for a second or more, and sorting it
        // again every frame would cost more than the merge. (`is_sorted` stops at the first
        // row out of order.)
        if self.stale.is_empty()
            && self.fresh.is_sorted()
            && self
                .fresh
                .first()
                .is_some_and(|first| self.rows.last().is_none_or(|last| last < first))
        {
            self.rows.append(&mut self.fresh);
            if !prune {
                return;
            }
        }
        // A merge copies the whole index: the bigger it is, the less often (250 ms per
        // 200,000 rows, at least 250 ms).
        let interval = MERGE_INTERVAL.mul_f64((self.rows.len() as f64 / 200_000.0).max(1.0));
        let due = force
            || self.rows.len() < SMALL_INDEX
            || self
                .last_merge
                .is_none_or(|last| last.elapsed() >= interval);
        if !due {
            return;
        }
        self.last_merge = Some(Instant::now());
        self.fresh.sort_unstable();
        self.stale.sort_unstable();
        self.stale.dedup();
        let stale = std::mem::take(&mut self.stale);
        let filtering = prune || !stale.is_empty();
        self.fresh.retain(|row| row.abs >= base);
        self.pruned_at = base;
        let keep = |row: &Row| {
            row.abs >= base && (stale.is_empty() || stale.binary_search(&row.abs).is_err())
        };
        if self.fresh.is_empty() {
            if filtering {
                self.rows.retain(keep);
            }
            return;
        }
        // Copy the old rows (without the dropped and stale ones) in runs between the places
        // the new ones go: a part per frame, so a big index never costs one long frame.
        let fresh = std::mem::take(&mut self.fresh);
        self.merging = Some(Merging {
            merged: Vec::with_capacity(self.rows.len() + fresh.len()),
            fresh,
            next_fresh: 0,
            copied: 0,
            base,
            stale,
            filtering,
        });
        self.step_merge(if self.rows.len() < SMALL_INDEX {
            usize::MAX
        } else {
            work
        });
    }

    /// Does up to `work` of the merge under way; at its end the merged rows are shown.
    fn step_merge(&mut self, work: usize) {
        let Index { merging, rows, .. } = self;
        let Some(merge) = merging.as_mut() else {
            return;
        };
        let mut left = work;
        loop {
            let target = match merge.fresh.get(merge.next_fresh) {
                Some(row) => merge.copied + rows[merge.copied..].partition_point(|old| old < row),
                None => rows.len(),
            };
            let end = target.min(merge.copied.saturating_add(left));
            let run = &rows[merge.copied..end];
            if merge.filtering {
                let (base, stale) = (merge.base, &merge.stale);
                merge.merged.extend(run.iter().copied().filter(|row| {
                    row.abs >= base && (stale.is_empty() || stale.binary_search(&row.abs).is_err())
                }));
            } else {
                merge.merged.extend_from_slice(run);
            }
            left -= end - merge.copied;
            merge.copied = end;
            if end < target {
                return;
            }
            match merge.fresh.get(merge.next_fresh) {
                Some(row) => {
                    merge.merged.push(*row);
                    merge.next_fresh += 1;
                }
                None => break,
            }
            if left <= PLACE_COST {
                return;
            }
            left -= PLACE_COST;
        }
        if let Some(done) = merging.take() {
            *rows = done.merged;
        }
    }

    fn caught_up(&self, session: &Session) -> bool {
        let end = session.log_mark();
        self.scanned >= end
            && self.fresh.is_empty()
            && self.stale.is_empty()
            && self.merging.is_none()
    }
}

/// What an export did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportStatus {
    /// `missing`: rows the memory cap dropped before they were written.
    Written {
        rows: usize,
        missing: usize,
        path: String,
    },
    /// No path was given.
    NoPath,
    /// The file could not be written: the system's reason (None: the writer thread stopped).
    Failed { path: String, error: Option<String> },
    /// Cancelled by the person; nothing was written to the path.
    Cancelled { path: String },
}

impl ExportStatus {
    /// What the window says of it: `Wrote 120 rows to calls.csv` (in English).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ExportStatus::Written {
                rows,
                missing,
                path,
            } => {
                let mut text = t!(
                    lang,
                    "table-export-written",
                    rows = *rows,
                    path = path.as_str()
                );
                if *missing > 0 {
                    text.push_str(&t!(lang, "table-export-missing", missing = *missing));
                }
                text
            }
            ExportStatus::NoPath => t!(lang, "table-export-no-path"),
            ExportStatus::Failed {
                path,
                error: Some(error),
            } => t!(
                lang,
                "code-export-failed",
                path = path.as_str(),
                error = error.as_str()
            ),
            ExportStatus::Failed { path, error: None } => {
                t!(lang, "table-export-writer-stopped", path = path.as_str())
            }
            ExportStatus::Cancelled { path } => {
                t!(lang, "table-export-cancelled", path = path.as_str())
            }
        }
    }
}

/// The file formats of [`CallTable::start_export`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// The call table widget. Settings are remembered (serde); the index is rebuilt.
#[derive(Serialize, Deserialize)]
#[serde(default)]
pub struct CallTable {
    /// The sort column.
    pub sort: Column,
    pub descending: bool,
    /// Shows only rows whose socket name, call name or result contains this (any case).
    pub filter: String,
    /// Shows only this socket's rows.
    pub socket: Option<SocketId>,
    /// Shows only these sockets' rows (on stage: the script's own), when set.
    #[serde(skip)]
    only_sockets: Option<Vec<SocketId>>,
    /// Keep the newest rows in view (when they are at the bottom).
    pub follow: bool,
    /// Where Export CSV / Export JSON write.
    pub export_path: String,
    #[serde(skip)]
    index: Index,
    #[serde(skip)]
    status: Option<ExportStatus>,
    /// An export asked for, waiting for the index to be complete.
    #[serde(skip)]
    export_request: Option<(ExportFormat, String)>,
    #[serde(skip)]
    export_job: Option<ExportJob>,
    #[serde(skip)]
    scroll_to: Option<usize>,
    /// The window's language in the last frame.
    #[serde(skip)]
    lang: Lang,
}

impl Default for CallTable {
    fn default() -> Self {
        CallTable::new()
    }
}

impl std::fmt::Debug for CallTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallTable")
            .field("sort", &self.sort)
            .field("descending", &self.descending)
            .field("filter", &self.filter)
            .field("socket", &self.socket)
            .field("rows", &self.index.rows.len())
            .finish_non_exhaustive()
    }
}

impl CallTable {
    pub fn new() -> Self {
        CallTable {
            sort: Column::Time,
            descending: false,
            filter: String::new(),
            socket: None,
            only_sockets: None,
            follow: true,
            export_path: String::new(),
            index: Index::new(),
            status: None,
            export_request: None,
            export_job: None,
            scroll_to: None,
            lang: Lang::En,
        }
    }

    fn params(&self) -> Params {
        Params {
            column: self.sort,
            needle: self.filter.trim().to_lowercase(),
            socket: self.socket,
            only: self.only_sockets.clone(),
            lang: self.lang,
        }
    }

    /// Shows only these sockets' rows (None: every socket's).
    pub fn show_only(&mut self, sockets: Option<&[SocketId]>) {
        self.only_sockets = sockets.map(|sockets| {
            let mut sorted = sockets.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            sorted
        });
    }

    /// Brings the index up to date with the session, without a time limit (the widget itself
    /// works a few milliseconds per frame). For tests, benchmarks and exports.
    pub fn catch_up(&mut self, session: &Session) {
        let params = self.params();
        self.index.refresh(session, params, None);
    }

    /// Whether every log entry has been indexed (and merged).
    pub fn caught_up(&self, session: &Session) -> bool {
        self.index.params.as_ref() == Some(&self.params()) && self.index.caught_up(session)
    }

    /// Rows shown now.
    pub fn row_count(&self) -> usize {
        self.index.rows.len()
    }

    /// The absolute log position (dropped entries + retained position) of the `n`-th row
    /// shown, in the order shown.
    pub fn row_position(&self, n: usize) -> Option<u64> {
        let len = self.index.rows.len();
        let at = if self.descending {
            len.checked_sub(n + 1)?
        } else {
            n
        };
        self.index.rows.get(at).map(|row| row.abs)
    }

    /// The log entry of the `n`-th row shown (None if it was dropped meanwhile).
    pub fn row_entry<'s>(&self, session: &'s Session, n: usize) -> Option<&'s LogEntry> {
        let abs = self.row_position(n)?;
        session.log_entry_at_mark(abs)
    }

    /// The text of the `n`-th row shown.
    pub fn row(&self, session: &Session, n: usize) -> Option<RowText> {
        self.row_entry(session, n)
            .map(|entry| row_text(self.lang, session, entry))
    }

    /// Scrolls the table to the `n`-th row shown at the next frame.
    pub fn scroll_to_row(&mut self, n: usize) {
        self.scroll_to = Some(n);
    }

    /// Sorts by this column; the same column again reverses the order.
    pub fn sort_by(&mut self, column: Column) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = false;
        }
    }

    /// The latest export's outcome.
    pub fn export_status(&self) -> Option<&ExportStatus> {
        self.status.as_ref()
    }

    /// Starts writing every row shown (filter and order as now) to `path`. The rows are
    /// written over the next frames by [`CallTable::advance_export`]; the window goes on.
    pub fn start_export(&mut self, format: ExportFormat, path: impl Into<String>) {
        let path = path.into().trim().to_string();
        if self.export_running() {
            return;
        }
        if path.is_empty() {
            self.status = Some(ExportStatus::NoPath);
            return;
        }
        self.status = None;
        self.export_request = Some((format, path));
    }

    /// Whether an export is under way.
    pub fn export_running(&self) -> bool {
        self.export_request.is_some() || self.export_job.is_some()
    }

    /// Stops the export under way; nothing is written to its path. An export whose rows are
    /// all written already (the file is being closed) ends normally instead.
    pub fn cancel_export(&mut self) {
        if self
            .export_job
            .as_ref()
            .is_some_and(|job| job.is_finishing())
        {
            return;
        }
        let path = match (self.export_request.take(), self.export_job.take()) {
            (Some((_, path)), _) => path,
            (None, Some(job)) => job.path().to_string(),
            (None, None) => return,
        };
        self.status = Some(ExportStatus::Cancelled { path });
    }

    /// How far the export under way is: (rows written, rows to write); None while there is
    /// none or its rows are still being chosen.
    pub fn export_progress(&self) -> Option<(usize, usize)> {
        self.export_job.as_ref().map(|job| {
            let progress = job.progress();
            (progress.rows_done, progress.rows_total)
        })
    }

    /// Works on the export under way for at most about `budget`. True while it goes on.
    /// [`CallTable::ui`] does not: the table's owner calls this every frame, whether the table
    /// is shown or not, and asks for another frame while it returns true.
    pub fn advance_export(&mut self, session: &Session, budget: Duration) -> bool {
        if let Some((format, path)) = self.export_request.take() {
            if !self.caught_up(session) {
                // Index this frame, choose the rows in a later one: each takes a few ms.
                let params = self.params();
                self.index.refresh(session, params, Some(budget));
                self.export_request = Some((format, path));
                return true;
            }
            let positions: Vec<u64> = (0..self.row_count())
                .filter_map(|n| self.row_position(n))
                .collect();
            // Rows are formatted from the next frame on: this one chose them.
            match ExportJob::start(format, path.clone(), positions) {
                Ok(job) => {
                    self.export_job = Some(job);
                    return true;
                }
                Err(error) => {
                    self.status = Some(ExportStatus::Failed {
                        path,
                        error: Some(error.to_string()),
                    });
                    return false;
                }
            }
        }
        let Some(job) = &mut self.export_job else {
            return false;
        };
        match job.step(session, budget) {
            Some(status) => {
                self.status = Some(status);
                self.export_job = None;
                false
            }
            None => true,
        }
    }

    /// Draws the filter bar, the export bar and the table.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        self.lang = super::lang(ui.ctx());
        let params = self.params();
        self.index.refresh(session, params, Some(FRAME_BUDGET));
        if !self.index.caught_up(session) {
            ui.ctx().request_repaint();
        }
        ui.push_id("call_table", |ui| {
            self.filter_bar_ui(ui, session);
            self.export_bar_ui(ui);
            ui.separator();
            self.table_ui(ui, session);
        });
    }

    fn filter_bar_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let lang = self.lang;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "table-filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .desired_width(160.0)
                    .hint_text(t!(lang, "table-filter-hint")),
            )
            .labelled_by(label.id)
            .on_hover_text(t!(lang, "table-filter-tip"));
            let label = ui.label(t!(lang, "table-socket"));
            let selected = match self.socket {
                None => t!(lang, "throughput-all-sockets"),
                Some(id) => session.socket_name(id),
            };
            egui::ComboBox::from_id_salt("call_table_socket")
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.socket, None, t!(lang, "throughput-all-sockets"));
                    for view in session.sockets() {
                        ui.selectable_value(&mut self.socket, Some(view.id), view.name.as_str());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut self.follow, t!(lang, "table-follow-newest"))
                .on_hover_text(t!(lang, "table-follow-newest-tip"));
            if ui.button(t!(lang, "table-top")).clicked() {
                self.scroll_to = Some(0);
            }
            if ui.button(t!(lang, "table-bottom")).clicked() {
                self.scroll_to = Some(self.row_count().saturating_sub(1));
            }
            let total = session.log_len();
            let shown = self.row_count();
            let mut text = if self.params().needle.is_empty() && self.socket.is_none() {
                t!(lang, "table-rows", shown = shown)
            } else {
                t!(lang, "table-rows-of", shown = shown, total = total)
            };
            if !self.index.caught_up(session) {
                let done = session.log_position(self.index.scanned) as f64;
                let percent = if total == 0 {
                    100.0
                } else {
                    (done / total as f64 * 100.0).min(100.0)
                };
                text.push_str(&t!(
                    lang,
                    "table-indexing",
                    percent = format!("{percent:.0}")
                ));
            }
            let dropped = session.dropped_log_entries();
            if dropped > 0 {
                text.push_str(&t!(lang, "table-oldest-dropped", count = dropped));
            }
            let automatic = session.dropped_auto_entries();
            if automatic > 0 {
                text.push_str(&t!(
                    lang,
                    "table-automatic-let-go",
                    count = automatic,
                    kept = crate::session::MAX_AUTO_ENTRIES_PER_SOCKET
                ));
            }
            ui.label(text);
        });
    }

    fn export_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!(lang, "table-export-to"));
            ui.add(
                egui::TextEdit::singleline(&mut self.export_path)
                    .desired_width(200.0)
                    .hint_text("calls.csv"),
            )
            .labelled_by(label.id);
            let idle = !self.export_running();
            if ui
                .add_enabled(idle, egui::Button::new(t!(lang, "table-export-csv")))
                .on_hover_text(t!(lang, "table-export-csv-tip"))
                .clicked()
            {
                self.start_export(ExportFormat::Csv, self.export_path.clone());
            }
            if ui
                .add_enabled(idle, egui::Button::new(t!(lang, "table-export-json")))
                .on_hover_text(t!(lang, "table-export-json-tip"))
                .clicked()
            {
                self.start_export(ExportFormat::Json, self.export_path.clone());
            }
            if self.export_running() {
                let text = match self.export_progress() {
                    Some((done, total)) => {
                        let percent = if total == 0 {
                            100.0
                        } else {
                            done as f64 / total as f64 * 100.0
                        };
                        t!(
                            lang,
                            "table-exporting",
                            done = done,
                            total = total,
                            percent = format!("{percent:.0}")
                        )
                    }
                    None => t!(lang, "table-exporting-choosing"),
                };
                ui.label(text);
                if ui
                    .button(t!(lang, "table-export-cancel"))
                    .on_hover_text(t!(lang, "table-export-cancel-tip"))
                    .clicked()
                {
                    self.cancel_export();
                }
            }
            if let Some(status) = &self.status {
                let visuals = ui.visuals();
                let color = match status {
                    ExportStatus::Written { .. } => super::theme::ok_color(visuals),
                    ExportStatus::NoPath | ExportStatus::Failed { .. } => {
                        super::theme::error_color(visuals)
                    }
                    ExportStatus::Cancelled { .. } => super::theme::warn_color(visuals),
                };
                ui.colored_label(color, status.text(lang));
            }
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let count = self.row_count();
        let muted = super::theme::muted_color(ui.visuals());
        let error = super::theme::error_color(ui.visuals());
        let pending = super::theme::pending_color(ui.visuals());
        let mut clicked = None;
        let mut builder = egui_extras::TableBuilder::new(ui)
            .id_salt("call_table_rows")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, false])
            .stick_to_bottom(self.follow && !self.descending)
            .animate_scrolling(false)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(egui_extras::Column::auto().at_least(70.0))
            .column(
                egui_extras::Column::initial(110.0)
                    .at_least(50.0)
                    .clip(true),
            )
            .column(egui_extras::Column::auto().at_least(60.0))
            .column(
                egui_extras::Column::initial(220.0)
                    .at_least(60.0)
                    .clip(true),
            )
            .column(
                egui_extras::Column::initial(180.0)
                    .at_least(60.0)
                    .clip(true),
            )
            .column(egui_extras::Column::auto().at_least(60.0))
            .column(egui_extras::Column::auto().at_least(50.0))
            .column(egui_extras::Column::remainder().at_least(50.0));
        if let Some(row) = self.scroll_to.take() {
            builder = builder.scroll_to_row(row, Some(egui::Align::Center));
        }
        builder
            .header(row_height + 2.0, |mut header| {
                for column in Column::ALL {
                    header.col(|ui| {
                        let title = column.title(self.lang);
                        let mut text = title.clone();
                        if column == self.sort {
                            text.push_str(if self.descending { " v" } else { " ^" });
                        }
                        let response = ui
                            .selectable_label(
                                column == self.sort,
                                egui::RichText::new(text).strong(),
                            )
                            .on_hover_text(t!(self.lang, "table-sort-tip", column = title));
                        if response.clicked() {
                            clicked = Some(column);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, count, |mut row| {
                    let n = row.index();
                    let Some(entry) = self.row_entry(session, n) else {
                        row.col(|ui| {
                            ui.colored_label(muted, t!(self.lang, "table-row-dropped"));
                        });
                        return;
                    };
                    let text = row_text(self.lang, session, entry);
                    let result_color = match entry {
                        LogEntry::Call(record) => match &record.outcome {
                            None => Some(pending),
                            Some(Outcome::Ok(_)) => None,
                            Some(_) => Some(error),
                        },
                        LogEntry::Auto(_) => Some(muted),
                    };
                    row.col(|ui| {
                        ui.label(text.time);
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(text.socket).truncate());
                    });
                    row.col(|ui| {
                        ui.label(text.call);
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(text.arguments).monospace())
                                .truncate(),
                        );
                    });
                    row.col(|ui| {
                        let mut rich = egui::RichText::new(text.result);
                        if let Some(color) = result_color {
                            rich = rich.color(color);
                        }
                        ui.add(egui::Label::new(rich).truncate());
                    });
                    row.col(|ui| {
                        ui.label(text.duration);
                    });
                    row.col(|ui| {
                        ui.label(text.bytes);
                    });
                    row.col(|ui| {
                        ui.label(text.origin);
                    });
                });
            });
        if let Some(column) = clicked {
            self.sort_by(column);
        }
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (quotes doubled).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A JSON string literal with `"`, `\` and control characters escaped.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if (ch as u32) < 0x20 || ch == '\u{2028}' || ch == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", ch as u32));
            }
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}
