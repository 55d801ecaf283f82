//! The received data of one socket (PRODUCT part 5): the bytes of each recv call as their own
//! chunk, so merged and split TCP messages and whole datagrams are visible, with time, size,
//! sender, truncation and EOF; as text in a chosen encoding (every control byte and invalid
//! sequence escaped by [`codec::display_text`], never interpreted), as a hex dump, or both side
//! by side; with search, copy, save and counters; and, for a stream, the messages a framing
//! rule finds in it, beside the chunks ([`framing_view`]).
//!
//! Performance: a 1 MB chunk without a newline, or a million chunks, must not stall the window.
//! The chunks are cut into a flat list of display rows (one header row per chunk, then its bytes
//! in rows of at most [`TEXT_ROW_CHARS`] characters or [`HEX_ROW_BYTES`] bytes), and only the
//! rows on screen are laid out ([`egui::ScrollArea::show_rows`]). The row index is kept between
//! frames and updated as chunks arrive (a socket's chunks only grow at the back, and lose their
//! oldest at the front to the memory cap or a Clear), with a time budget per frame; the same goes
//! for the search.

use super::{bytes_text, theme};
use crate::codec::{self, InputError, TextEncoding};
use crate::engine::{SockType, SocketId};
use crate::i18n::Lang;
use crate::messages::framing::FramingRule;
use crate::session::{Chunk, ChunkKind, Session, SocketView};
use crate::t;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::Write;
use std::time::{Duration, Instant};

/// A text row shows about this many characters at most (a wide CJK character counts two).
pub const TEXT_ROW_CHARS: usize = 96;
/// A hex row shows this many bytes.
pub const HEX_ROW_BYTES: usize = 16;
/// Indexing and searching stop for the frame after this long and go on in the next one.
const FRAME_BUDGET: Duration = Duration::from_millis(8);
/// Copy stops after this much text (the clipboard is not the place for more).
const COPY_LIMIT_BYTES: usize = 64 * 1024 * 1024;

/// The stream split into messages by a framing rule, beside the chunks.
#[path = "framing_view.rs"]
pub(super) mod framing_view;

/// How the bytes are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DisplayMode {
    /// Text in the chosen encoding, control bytes escaped; a `\n` also ends the row.
    #[default]
    Text,
    /// A hex dump with offsets and the printable ASCII beside.
    Hex,
    /// Hex on the left and the text of the same bytes on the right.
    Both,
}

impl DisplayMode {
    pub const ALL: [DisplayMode; 3] = [DisplayMode::Text, DisplayMode::Hex, DisplayMode::Both];
    /// The button's text (distinct from the composer's "Text"/"Hex" payload buttons).
    pub fn label(self, lang: Lang) -> String {
        match self {
            DisplayMode::Text => t!(lang, "data-mode-text"),
            DisplayMode::Hex => t!(lang, "data-mode-hex"),
            DisplayMode::Both => t!(lang, "data-mode-both"),
        }
    }
}

/// What the search box holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SearchKind {
    /// Text with escapes (`\r\n`, `\x00`), encoded in the view's encoding.
    #[default]
    Text,
    /// Hex bytes (`de ad be ef`).
    Hex,
}

/// What a person asked for in the view that the window must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataIntent {
    /// Forget this socket's retained chunks ([`Session::clear_chunks`]).
    Clear(SocketId),
}

/// The received-data view of one socket: its settings (kept in the workspace) and its caches.
/// Keep one per socket; one used for several sockets works but indexes again on each switch.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceivedView {
    pub mode: DisplayMode,
    pub encoding: TextEncoding,
    pub search_kind: SearchKind,
    /// The search box as typed.
    pub search: String,
    /// Where Save writes the raw bytes.
    pub save_path: String,
    /// Copy and Save are on a second row, shown on request (keeps the view short on a
    /// projector).
    pub show_tools: bool,
    /// How a stream socket's bytes are split into messages, shown beside the chunks; None:
    /// they are not (a datagram socket's datagrams are messages already).
    pub framing: Option<FramingRule>,
    #[serde(skip)]
    framing_form: framing_view::FramingForm,
    #[serde(skip)]
    messages: framing_view::MessageList,
    #[serde(skip)]
    index: RowIndex,
    #[serde(skip)]
    finder: Finder,
    /// The match to scroll to in the next frame.
    #[serde(skip)]
    jump: Option<Match>,
    /// What Copy or Save did: (is an error, message).
    #[serde(skip)]
    status: Option<(bool, String)>,
    /// The last refresh indexed and searched every chunk.
    #[serde(skip)]
    caught_up: bool,
}

impl ReceivedView {
    pub fn new() -> Self {
        ReceivedView::default()
    }

    /// Draws the view of `socket`'s received chunks.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        socket: SocketId,
    ) -> Option<DataIntent> {
        let Some(view) = session.socket(socket) else {
            ui.weak(t!(
                super::lang(ui.ctx()),
                "data-not-in-session",
                socket = socket.to_string()
            ));
            return None;
        };
        if self.save_path.is_empty() {
            self.save_path = default_save_path(socket);
        }
        let complete = self.refresh(view, Some(Instant::now() + FRAME_BUDGET));
        if !complete {
            ui.ctx().request_repaint();
        }
        let mut intent = None;
        ui.push_id(("received_view", socket.0), |ui| {
            self.counters_ui(ui, view, complete);
            self.toolbar_ui(ui, view, &mut intent);
            framing_view::form_error_ui(ui, &self.framing_form);
            if let Some((is_error, message)) = &self.status {
                if *is_error {
                    ui.colored_label(theme::error_color(ui.visuals()), message);
                } else {
                    ui.weak(message);
                }
            }
            match self.framing.clone() {
                Some(rule) if view.sock_type == SockType::Stream => {
                    self.framed_ui(ui, view, &rule);
                }
                _ => self.rows_ui(ui, view),
            }
        });
        intent
    }

    /// The framing choice, in the toolbar (each datagram is a message already: framing is for
    /// streams).
    fn framing_ui(&mut self, ui: &mut egui::Ui, view: &SocketView) {
        if view.sock_type == SockType::Stream {
            ui.separator();
            let (framing, form) = (&mut self.framing, &mut self.framing_form);
            framing_view::framing_controls_ui(ui, framing, form, self.encoding);
        }
    }

    /// The messages the framing rule finds, beside (or above) the raw chunks.
    fn framed_ui(&mut self, ui: &mut egui::Ui, view: &SocketView, rule: &FramingRule) {
        framing_view::beside_or_above(ui, |ui, part| match part {
            framing_view::Part::Messages => self.messages.ui(ui, rule),
            framing_view::Part::Chunks => self.rows_ui(ui, view),
        });
    }

    /// Brings the row index, the search and the messages (when a framing rule is on) up to
    /// date with the socket's chunks, until `deadline` (None: all of it). True when all three
    /// are complete.
    pub fn refresh(&mut self, view: &SocketView, deadline: Option<Instant>) -> bool {
        let indexed = self.index.sync(view, self.layout(), deadline);
        let searched = self.finder.sync(
            view,
            &self.search,
            self.search_kind,
            self.encoding,
            deadline,
        );
        if let Some(found) = self.finder.take_jump() {
            self.jump = Some(found);
        }
        let framed = self
            .messages
            .sync(view, self.framing.as_ref(), self.layout(), deadline);
        self.caught_up = indexed && searched && framed;
        self.caught_up
    }

    /// The last frame indexed and searched every chunk (false while it is spread over frames).
    pub fn caught_up(&self) -> bool {
        self.caught_up
    }

    /// Rows in the flat list (headers included) indexed so far.
    pub fn row_count(&self) -> u64 {
        self.index.total_rows()
    }

    /// Matches of the search found so far.
    pub fn match_count(&self) -> usize {
        self.finder.matches.len()
    }

    /// The match shown as current (0 = first), if any.
    pub fn current_match(&self) -> Option<usize> {
        self.finder.current
    }

    /// The search text could not be turned into bytes (worded when shown:
    /// [`InputError::text`]).
    pub fn search_error(&self) -> Option<&InputError> {
        self.finder.error.as_ref()
    }

    /// What Copy or Save last reported.
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(_, message)| message.as_str())
    }

    /// Moves to the next (or previous) match and scrolls to it.
    pub fn step_match(&mut self, forward: bool) {
        let count = self.finder.matches.len();
        if count == 0 {
            return;
        }
        let next = match (self.finder.current, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(current), true) => (current + 1) % count,
            (Some(current), false) => (current + count - 1) % count,
        };
        self.finder.current = Some(next);
        self.jump = self.finder.matches.get(next).copied();
    }

    /// Every retained chunk as the rows are shown (headers included, in `lang`), one row a
    /// line.
    pub fn shown_text(&self, view: &SocketView, lang: Lang) -> (String, bool) {
        let layout = self.layout();
        let mut out = String::new();
        let mut complete = true;
        let first_number = first_chunk_number(view);
        'chunks: for (index, chunk) in view.chunks.iter().enumerate() {
            let header = header_pieces(chunk, view, first_number + index as u64, lang);
            let header: String = header.iter().map(|(text, _)| text.as_str()).collect();
            out.push_str(&header);
            out.push('\n');
            for (start, end) in content_ranges(&chunk.data, layout) {
                if out.len() > COPY_LIMIT_BYTES {
                    complete = false;
                    break 'chunks;
                }
                out.push_str(&row_text(&chunk.data, start, end, layout));
                out.push('\n');
            }
        }
        (out, complete)
    }

    /// Writes the raw bytes of every retained chunk, oldest first. Returns the bytes written,
    /// or why not (in `lang`; the system's own errors as it words them).
    pub fn save_to(&self, view: &SocketView, path: &str, lang: Lang) -> Result<u64, String> {
        let path = path.trim();
        if path.is_empty() {
            return Err(t!(lang, "data-save-no-path"));
        }
        let file = std::fs::File::create(path).map_err(|error| format!("{path}: {error}"))?;
        let mut writer = std::io::BufWriter::new(file);
        let mut written = 0u64;
        for chunk in &view.chunks {
            writer
                .write_all(&chunk.data)
                .map_err(|error| format!("{path}: {error}"))?;
            written += chunk.data.len() as u64;
        }
        writer.flush().map_err(|error| format!("{path}: {error}"))?;
        Ok(written)
    }

    fn layout(&self) -> Layout {
        match self.mode {
            DisplayMode::Text => Layout::Text(self.encoding),
            DisplayMode::Hex => Layout::Hex,
            DisplayMode::Both => Layout::Both(self.encoding),
        }
    }

    fn counters_ui(&self, ui: &mut egui::Ui, view: &SocketView, complete: bool) {
        let lang = super::lang(ui.ctx());
        let counters = &view.counters;
        let retained = view.chunks.len() as u64;
        let dropped = counters
            .chunks
            .saturating_sub(counters.cleared_chunks)
            .saturating_sub(retained);
        ui.horizontal_wrapped(|ui| {
            ui.strong(t!(lang, "data-received"));
            if retained == counters.chunks {
                ui.label(t!(
                    lang,
                    "data-chunks",
                    count = retained,
                    bytes = bytes_text(counters.bytes_in)
                ));
            } else {
                ui.label(t!(
                    lang,
                    "data-chunks-shown-of",
                    count = retained,
                    bytes = bytes_text(self.index.retained_bytes()),
                    received = counters.chunks,
                    bytes_in = bytes_text(counters.bytes_in)
                ));
            }
            if dropped > 0 {
                ui.colored_label(
                    theme::warn_color(ui.visuals()),
                    t!(lang, "data-dropped", count = dropped),
                )
                .on_hover_text(t!(lang, "data-dropped-tip"));
            }
            if counters.cleared_chunks > 0 {
                ui.weak(t!(lang, "data-cleared", count = counters.cleared_chunks));
            }
            if !complete {
                ui.weak(t!(
                    lang,
                    "data-indexing",
                    done = self.index.entries.len(),
                    total = view.chunks.len()
                ));
            }
        });
    }

    fn toolbar_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        intent: &mut Option<DataIntent>,
    ) {
        let lang = super::lang(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            for mode in DisplayMode::ALL {
                ui.selectable_value(&mut self.mode, mode, mode.label(lang));
            }
            if self.mode != DisplayMode::Hex || self.search_kind == SearchKind::Text {
                egui::ComboBox::from_id_salt("received_encoding")
                    .selected_text(self.encoding.label())
                    .show_ui(ui, |ui| {
                        for encoding in TextEncoding::ALL {
                            ui.selectable_value(&mut self.encoding, encoding, encoding.label());
                        }
                    })
                    .response
                    .on_hover_text(t!(lang, "data-encoding-tip"));
            }
            ui.separator();
            ui.toggle_value(&mut self.show_tools, t!(lang, "data-tools"))
                .on_hover_text(t!(lang, "data-tools-tip"));
            if ui
                .button(t!(lang, "data-clear"))
                .on_hover_text(t!(lang, "data-clear-tip"))
                .clicked()
            {
                *intent = Some(DataIntent::Clear(view.id));
                self.status = None;
            }
            self.framing_ui(ui, view);
        });
        ui.horizontal_wrapped(|ui| {
            if !self.show_tools {
                return;
            }
            let label = ui.label(t!(lang, "data-search"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .desired_width(140.0)
                        .hint_text(match self.search_kind {
                            SearchKind::Text => t!(lang, "data-search-text-hint"),
                            SearchKind::Hex => t!(lang, "data-search-hex-hint"),
                        }),
                )
                .labelled_by(label.id)
                .on_hover_text(t!(lang, "data-search-tip"));
            if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                self.step_match(!ui.input(|input| input.modifiers.shift));
                field.request_focus();
            }
            ui.selectable_value(
                &mut self.search_kind,
                SearchKind::Text,
                t!(lang, "data-search-text"),
            )
            .on_hover_text(t!(lang, "data-search-text-tip"));
            ui.selectable_value(
                &mut self.search_kind,
                SearchKind::Hex,
                t!(lang, "data-search-hex"),
            )
            .on_hover_text(t!(lang, "data-search-hex-tip"));
            if !self.search.is_empty() && self.finder.error.is_none() {
                let count = self.finder.matches.len();
                let more = if self.finder.complete { "" } else { "+" };
                let text = match self.finder.current {
                    _ if count == 0 && self.finder.complete => t!(lang, "data-no-match"),
                    Some(current) => t!(
                        lang,
                        "data-match-of",
                        current = current + 1,
                        count = count,
                        more = more
                    ),
                    None => t!(lang, "data-matches", count = count, more = more),
                };
                ui.label(text);
                let enabled = count > 0;
                if ui
                    .add_enabled(enabled, egui::Button::new(t!(lang, "data-previous")))
                    .on_hover_text(t!(lang, "data-previous-tip"))
                    .clicked()
                {
                    self.step_match(false);
                }
                if ui
                    .add_enabled(enabled, egui::Button::new(t!(lang, "data-next")))
                    .on_hover_text(t!(lang, "data-next-tip"))
                    .clicked()
                {
                    self.step_match(true);
                }
            }
            ui.separator();
            if ui
                .button(t!(lang, "data-copy"))
                .on_hover_text(t!(lang, "data-copy-tip"))
                .clicked()
            {
                let (text, complete) = self.shown_text(view, lang);
                let size = bytes_text(text.len() as u64);
                let message = if complete {
                    t!(lang, "data-copied", size = size)
                } else {
                    t!(lang, "data-copied-limit", size = size)
                };
                ui.ctx().copy_text(text);
                self.status = Some((false, message));
            }
            let label = ui.label(t!(lang, "data-save-to"));
            ui.add(egui::TextEdit::singleline(&mut self.save_path).desired_width(170.0))
                .labelled_by(label.id);
            if ui
                .button(t!(lang, "data-save"))
                .on_hover_text(t!(lang, "data-save-tip"))
                .clicked()
            {
                self.status = Some(match self.save_to(view, &self.save_path, lang) {
                    Ok(written) => (
                        false,
                        t!(
                            lang,
                            "data-saved",
                            count = written,
                            chunks = view.chunks.len(),
                            path = self.save_path.trim()
                        ),
                    ),
                    Err(error) => (true, t!(lang, "data-save-failed", error = error)),
                });
            }
        });
        if let Some(error) = &self.finder.error {
            ui.colored_label(
                theme::error_color(ui.visuals()),
                t!(lang, "data-search-error", error = error.text(lang)),
            );
        }
    }

    fn rows_ui(&mut self, ui: &mut egui::Ui, view: &SocketView) {
        let lang = super::lang(ui.ctx());
        if view.chunks.is_empty() {
            ui.weak(t!(lang, "received-nothing-yet"));
            return;
        }
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font));
        let row_step = row_height + ui.spacing().item_spacing.y;
        let mut area = egui::ScrollArea::both()
            .id_salt("received_rows")
            .auto_shrink([false, false])
            .stick_to_bottom(true);
        if let Some(found) = self.jump.take() {
            match self.index.row_of(view, found.seq, found.start) {
                Some(row) => {
                    let y = row as f32 * row_step - ui.available_height() / 3.0;
                    area = area
                        .vertical_scroll_offset(y.max(0.0))
                        .stick_to_bottom(false);
                }
                // Not indexed yet: try again next frame.
                None => self.jump = Some(found),
            }
        }
        let style = RowStyle {
            font,
            row_height,
            text: ui.visuals().text_color(),
            weak: ui.visuals().weak_text_color(),
            warn: theme::warn_color(ui.visuals()),
            strong: ui.visuals().strong_text_color(),
        };
        let layout = self.layout();
        let first_number = first_chunk_number(view);
        let total = usize::try_from(self.index.total_rows()).unwrap_or(usize::MAX);
        area.show_rows(ui, row_height, total, |ui, rows| {
            for row in rows {
                let Some((index, part)) = self.index.locate(row as u64) else {
                    continue;
                };
                let Some(chunk) = view.chunks.get(index) else {
                    continue;
                };
                let job = match part {
                    RowPart::Header => {
                        header_job(chunk, view, first_number + index as u64, lang, &style)
                    }
                    RowPart::Bytes { start, end } => {
                        let end = end.min(chunk.data.len());
                        let marks = self.finder.marks_in(chunk.seq, start, end);
                        content_job(&chunk.data, start, end, layout, &marks, &style)
                    }
                };
                ui.add(egui::Label::new(job).extend());
            }
        });
    }
}

fn default_save_path(socket: SocketId) -> String {
    std::env::temp_dir()
        .join(format!("socket-workbench-received-{}.bin", socket.0))
        .to_string_lossy()
        .into_owned()
}

/// The number (1 = first ever received on this socket) of the oldest retained chunk.
fn first_chunk_number(view: &SocketView) -> u64 {
    view.counters
        .chunks
        .saturating_sub(view.chunks.len() as u64)
        + 1
}

// ----- the row index -----

/// How a chunk's bytes are cut into rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Text(TextEncoding),
    Hex,
    Both(TextEncoding),
}

/// What one display row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowPart {
    /// The chunk's header: time, size, sender, EOF, truncation.
    Header,
    /// These bytes of the chunk.
    Bytes { start: usize, end: usize },
}

/// One indexed chunk. Row, split and byte numbers are absolute (they only grow), so dropping
/// entries at the front does not renumber the rest.
#[derive(Clone, Copy, Debug)]
struct Entry {
    seq: u64,
    /// Its header row.
    first_row: u64,
    /// Its first row start in `splits` (text and both layouts).
    first_split: u64,
    /// Bytes of the indexed chunks before it.
    first_byte: u64,
}

/// The flat list of display rows of one socket's chunks, in the order of `view.chunks`.
#[derive(Debug, Default)]
struct RowIndex {
    key: Option<(SocketId, Layout)>,
    entries: VecDeque<Entry>,
    /// Where each content row after a chunk's first begins (byte offset in the chunk).
    splits: VecDeque<u32>,
    /// The absolute number of `splits[0]`.
    splits_base: u64,
    next_row: u64,
    next_split: u64,
    next_byte: u64,
}

impl RowIndex {
    fn reset(&mut self, key: (SocketId, Layout)) {
        *self = RowIndex {
            key: Some(key),
            ..RowIndex::default()
        };
    }

    /// Follows the socket's chunks: forgets those dropped at the front, indexes those new at the
    /// back (until `deadline`), and starts again if the two no longer line up. True when every
    /// chunk is indexed.
    fn sync(&mut self, view: &SocketView, layout: Layout, deadline: Option<Instant>) -> bool {
        let key = (view.id, layout);
        if self.key != Some(key) {
            self.reset(key);
        }
        let chunks = &view.chunks;
        let first_seq = chunks.front().map(|chunk| chunk.seq);
        while let Some(entry) = self.entries.front() {
            if first_seq.is_some_and(|seq| entry.seq >= seq) {
                break;
            }
            self.pop_front();
        }
        let lined_up = match (self.entries.front(), self.entries.back()) {
            (Some(front), Some(back)) => {
                first_seq == Some(front.seq)
                    && chunks
                        .get(self.entries.len() - 1)
                        .is_some_and(|chunk| chunk.seq == back.seq)
            }
            _ => true,
        };
        if !lined_up {
            self.reset(key);
        }
        let mut indexed_now = 0usize;
        while let Some(chunk) = chunks.get(self.entries.len()) {
            if indexed_now > 0 && deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return false;
            }
            self.push(chunk, layout);
            indexed_now += 1;
        }
        true
    }

    fn push(&mut self, chunk: &Chunk, layout: Layout) {
        let data = &chunk.data;
        let splits = &mut self.splits;
        let mut pushed = 0u64;
        let mut push_split = |at: usize| {
            splits.push_back(u32::try_from(at).unwrap_or(u32::MAX));
            pushed += 1;
        };
        let content_rows = if data.is_empty() {
            0
        } else {
            match layout {
                Layout::Hex => data.len().div_ceil(HEX_ROW_BYTES) as u64,
                Layout::Text(encoding) => {
                    text_row_starts(data, encoding, &mut push_split);
                    pushed + 1
                }
                Layout::Both(encoding) => {
                    both_row_starts(data, encoding, &mut push_split);
                    pushed + 1
                }
            }
        };
        self.entries.push_back(Entry {
            seq: chunk.seq,
            first_row: self.next_row,
            first_split: self.next_split,
            first_byte: self.next_byte,
        });
        self.next_row += 1 + content_rows;
        self.next_split += pushed;
        self.next_byte += data.len() as u64;
    }

    fn pop_front(&mut self) {
        let Some(entry) = self.entries.pop_front() else {
            return;
        };
        let end = self
            .entries
            .front()
            .map_or(self.next_split, |next| next.first_split);
        for _ in entry.first_split..end {
            self.splits.pop_front();
        }
        self.splits_base = end;
    }

    fn first_row(&self) -> u64 {
        self.entries
            .front()
            .map_or(self.next_row, |entry| entry.first_row)
    }

    fn total_rows(&self) -> u64 {
        self.next_row - self.first_row()
    }

    fn retained_bytes(&self) -> u64 {
        self.next_byte
            - self
                .entries
                .front()
                .map_or(self.next_byte, |entry| entry.first_byte)
    }

    /// The end (exclusive) of entry `index`'s rows and splits.
    fn entry_ends(&self, index: usize) -> (u64, u64) {
        match self.entries.get(index + 1) {
            Some(next) => (next.first_row, next.first_split),
            None => (self.next_row, self.next_split),
        }
    }

    /// Row `row` (0 = the first shown): which chunk (index in `view.chunks`) and what part.
    fn locate(&self, row: u64) -> Option<(usize, RowPart)> {
        let absolute = self.first_row() + row;
        if absolute >= self.next_row {
            return None;
        }
        let index = self
            .entries
            .partition_point(|entry| entry.first_row <= absolute)
            .checked_sub(1)?;
        let entry = self.entries.get(index)?;
        let within = absolute - entry.first_row;
        if within == 0 {
            return Some((index, RowPart::Header));
        }
        let content_row = within - 1;
        let (_, split_end) = self.entry_ends(index);
        let layout = self.key.map(|(_, layout)| layout)?;
        let (start, end) = match layout {
            Layout::Hex => {
                let start = usize::try_from(content_row).ok()? * HEX_ROW_BYTES;
                (start, start + HEX_ROW_BYTES)
            }
            Layout::Text(_) | Layout::Both(_) => {
                let split = |n: u64| -> Option<usize> {
                    let at = usize::try_from(n.checked_sub(self.splits_base)?).ok()?;
                    self.splits.get(at).map(|offset| *offset as usize)
                };
                let start = if content_row == 0 {
                    0
                } else {
                    split(entry.first_split + content_row - 1)?
                };
                let end_split = entry.first_split + content_row;
                let end = if end_split < split_end {
                    split(end_split)?
                } else {
                    usize::MAX
                };
                (start, end)
            }
        };
        // The caller clips `end` to the chunk's length.
        Some((index, RowPart::Bytes { start, end }))
    }

    /// The row (0 = the first shown) holding byte `offset` of the chunk numbered `seq`.
    fn row_of(&self, view: &SocketView, seq: u64, offset: usize) -> Option<u64> {
        let index = self.entries.partition_point(|entry| entry.seq < seq);
        let entry = self.entries.get(index).filter(|entry| entry.seq == seq)?;
        view.chunks.get(index).filter(|chunk| chunk.seq == seq)?;
        let (_, split_end) = self.entry_ends(index);
        let content_row = match self.key.map(|(_, layout)| layout)? {
            Layout::Hex => (offset / HEX_ROW_BYTES) as u64,
            Layout::Text(_) | Layout::Both(_) => {
                // How many of this chunk's row starts are at or before `offset`.
                let mut low = entry.first_split;
                let mut high = split_end;
                while low < high {
                    let middle = low + (high - low) / 2;
                    let at = usize::try_from(middle - self.splits_base).ok()?;
                    if (*self.splits.get(at)? as usize) <= offset {
                        low = middle + 1;
                    } else {
                        high = middle;
                    }
                }
                low - entry.first_split
            }
        };
        Some(entry.first_row + 1 + content_row - self.first_row())
    }
}

/// One shown piece of the bytes: a character in the encoding, or one byte that is not part of
/// one (shown as `\xNN`). Cutting rows only between units keeps the text of each row exactly the
/// text [`codec::display_text`] shows for the whole chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Unit {
    start: usize,
    len: usize,
    /// About how many columns it takes once shown (escapes are several characters).
    width: usize,
    newline: bool,
}

fn is_invisible_format(ch: char) -> bool {
    matches!(ch, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fn is_wide(ch: char) -> bool {
    matches!(u32::from(ch),
        0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6 | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd)
}

/// Columns a character takes in [`codec::display_text`]'s output.
fn char_width(ch: char) -> usize {
    match ch {
        '\n' | '\r' | '\t' | '\\' => 2,
        ch if ch.is_control() || is_invisible_format(ch) => {
            if u32::from(ch) < 0x100 {
                4
            } else {
                8
            }
        }
        ch if is_wide(ch) => 2,
        _ => 1,
    }
}

/// Calls `unit` for every unit of `data` in order. Mirrors how [`codec::display_text`] reads
/// each encoding.
fn for_each_unit(data: &[u8], encoding: TextEncoding, mut unit: impl FnMut(Unit)) {
    let char_unit = |start: usize, len: usize, ch: char| Unit {
        start,
        len,
        width: char_width(ch),
        newline: ch == '\n',
    };
    let invalid_unit = |start: usize| Unit {
        start,
        len: 1,
        width: 4,
        newline: false,
    };
    match encoding {
        TextEncoding::Utf8 => {
            let mut at = 0;
            for piece in data.utf8_chunks() {
                for ch in piece.valid().chars() {
                    unit(char_unit(at, ch.len_utf8(), ch));
                    at += ch.len_utf8();
                }
                for _ in piece.invalid() {
                    unit(invalid_unit(at));
                    at += 1;
                }
            }
        }
        TextEncoding::Latin1 => {
            for (at, byte) in data.iter().enumerate() {
                unit(char_unit(at, 1, char::from(*byte)));
            }
        }
        TextEncoding::Gbk => {
            let mut at = 0;
            while let Some(&byte) = data.get(at) {
                if byte < 0x80 {
                    unit(char_unit(at, 1, char::from(byte)));
                    at += 1;
                    continue;
                }
                let decoded = [2usize, 4].into_iter().find_map(|len| {
                    let sequence = data.get(at..at + len)?;
                    let text = encoding_rs::GBK
                        .decode_without_bom_handling_and_without_replacement(sequence)?;
                    let mut chars = text.chars();
                    let ch = chars.next()?;
                    chars.next().is_none().then_some((len, ch))
                });
                match decoded {
                    Some((len, ch)) => {
                        unit(char_unit(at, len, ch));
                        at += len;
                    }
                    None => {
                        unit(invalid_unit(at));
                        at += 1;
                    }
                }
            }
        }
    }
}

/// Where each text row after the first begins: after a `\n`, or before a unit that would make
/// the row wider than [`TEXT_ROW_CHARS`].
fn text_row_starts(data: &[u8], encoding: TextEncoding, push: &mut impl FnMut(usize)) {
    let mut width = 0;
    for_each_unit(data, encoding, |unit| {
        if width > 0 && width + unit.width > TEXT_ROW_CHARS {
            push(unit.start);
            width = 0;
        }
        width += unit.width;
        let end = unit.start + unit.len;
        if unit.newline && end < data.len() {
            push(end);
            width = 0;
        }
    });
}

/// Where each side-by-side row after the first begins: at most [`HEX_ROW_BYTES`] bytes a row,
/// cut between units so a character is never split across rows.
fn both_row_starts(data: &[u8], encoding: TextEncoding, push: &mut impl FnMut(usize)) {
    let mut row_start = 0;
    for_each_unit(data, encoding, |unit| {
        if unit.start > row_start && unit.start + unit.len - row_start > HEX_ROW_BYTES {
            push(unit.start);
            row_start = unit.start;
        }
    });
}

/// The byte ranges of a chunk's content rows (without an index; for copying and tests).
fn content_ranges(data: &[u8], layout: Layout) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    match layout {
        Layout::Hex => {
            starts.extend((HEX_ROW_BYTES..data.len()).step_by(HEX_ROW_BYTES));
        }
        Layout::Text(encoding) => text_row_starts(data, encoding, &mut |at| starts.push(at)),
        Layout::Both(encoding) => both_row_starts(data, encoding, &mut |at| starts.push(at)),
    }
    if data.is_empty() {
        return Vec::new();
    }
    let mut ranges: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    if let Some(last) = starts.last() {
        ranges.push((*last, data.len()));
    }
    ranges
}

// ----- drawing rows -----

struct RowStyle {
    font: FontId,
    row_height: f32,
    text: Color32,
    weak: Color32,
    warn: Color32,
    strong: Color32,
}

impl RowStyle {
    fn format(&self, color: Color32) -> TextFormat {
        TextFormat {
            font_id: self.font.clone(),
            color,
            line_height: Some(self.row_height),
            ..TextFormat::default()
        }
    }

    fn marked(&self, mark: u8) -> TextFormat {
        match mark {
            0 => self.format(self.text),
            1 => TextFormat {
                background: Color32::from_rgb(255, 226, 120),
                ..self.format(Color32::BLACK)
            },
            _ => TextFormat {
                background: Color32::from_rgb(255, 150, 40),
                ..self.format(Color32::BLACK)
            },
        }
    }
}

/// How a header piece is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Strong,
    Weak,
    Warn,
}

/// Between the pieces of a header.
const HEADER_SEPARATOR: &str = " · ";

/// The header row of a chunk as pieces of text (in `lang`): number, time (the session's clock,
/// as on the timeline and in the call table), size, sender, truncation, EOF.
fn header_pieces(chunk: &Chunk, view: &SocketView, number: u64, lang: Lang) -> Vec<(String, Tone)> {
    let seconds = super::call_table::seconds_text(chunk.at_us);
    let mut pieces = vec![
        (format!("#{number} "), Tone::Strong),
        (t!(lang, "data-header-at", seconds = seconds), Tone::Weak),
    ];
    let piece = |text: String| format!("{HEADER_SEPARATOR}{text}");
    match chunk.kind {
        ChunkKind::Data => {
            let len = chunk.data.len();
            pieces.push((piece(t!(lang, "result-bytes", count = len)), Tone::Weak));
        }
        ChunkKind::Eof if view.sock_type == SockType::Stream => {
            pieces.push((piece(t!(lang, "data-header-eof")), Tone::Warn));
        }
        ChunkKind::Eof => {
            pieces.push((piece(t!(lang, "data-header-empty-datagram")), Tone::Weak));
        }
        ChunkKind::AutoSample {
            recv_calls,
            recv_bytes,
        } => {
            pieces.push((
                piece(t!(
                    lang,
                    "data-header-auto",
                    calls = recv_calls,
                    bytes = bytes_text(recv_bytes)
                )),
                Tone::Weak,
            ));
            if !chunk.data.is_empty() {
                let len = chunk.data.len();
                pieces.push((t!(lang, "data-header-first", count = len), Tone::Weak));
            }
        }
    }
    if let Some(from) = &chunk.from {
        pieces.push((
            piece(t!(lang, "received-from", from = from.to_string())),
            Tone::Weak,
        ));
    }
    if let Some(real) = chunk.truncated_from {
        pieces.push((
            piece(t!(
                lang,
                "data-header-truncated",
                size = real,
                count = chunk.data.len()
            )),
            Tone::Warn,
        ));
    }
    pieces
}

fn header_job(
    chunk: &Chunk,
    view: &SocketView,
    number: u64,
    lang: Lang,
    style: &RowStyle,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    for (text, tone) in header_pieces(chunk, view, number, lang) {
        let color = match tone {
            Tone::Strong => style.strong,
            Tone::Weak => style.weak,
            Tone::Warn => style.warn,
        };
        job.append(&text, 0.0, style.format(color));
    }
    job
}

/// Columns where byte `i` of a hex row is written in [`codec::hex_dump_line`].
fn hex_dump_columns(i: usize) -> (usize, usize) {
    let hex = 10 + 3 * i + usize::from(i >= 8);
    let ascii = 10 + 3 * HEX_ROW_BYTES + 1 + 2 + i;
    (hex, ascii)
}

/// Left part of a side-by-side row: offset, then the hex of up to 16 bytes, padded.
const BOTH_TEXT_COLUMN: usize = 10 + 3 * HEX_ROW_BYTES - 1 + 3;

/// The plain text of one content row.
fn row_text(data: &[u8], start: usize, end: usize, layout: Layout) -> String {
    let end = end.min(data.len());
    let start = start.min(end);
    let bytes = &data[start..end];
    match layout {
        Layout::Text(encoding) => codec::display_text(bytes, encoding, false),
        Layout::Hex => codec::hex_dump_line(bytes, start),
        Layout::Both(encoding) => {
            let hex = format!("{start:08x}  {}", codec::to_hex(bytes));
            format!(
                "{hex:<width$}{}",
                codec::display_text(bytes, encoding, false),
                width = BOTH_TEXT_COLUMN
            )
        }
    }
}

/// Appends `text` with each character styled by `marks` (one per byte of ASCII `text`).
fn append_marked_ascii(job: &mut LayoutJob, text: &str, marks: &[u8], style: &RowStyle) {
    let mut run_start = 0;
    for at in 1..=text.len() {
        let mark = marks.get(run_start).copied().unwrap_or(0);
        if at == text.len() || marks.get(at).copied().unwrap_or(0) != mark {
            if let Some(piece) = text.get(run_start..at) {
                job.append(piece, 0.0, style.marked(mark));
            }
            run_start = at;
        }
    }
}

/// Appends the text of `bytes` with the marked byte ranges highlighted, each widened to whole
/// units so the pieces shown together are exactly the row's text.
fn append_marked_text(
    job: &mut LayoutJob,
    bytes: &[u8],
    encoding: TextEncoding,
    marks: &[u8],
    style: &RowStyle,
) {
    if marks.iter().all(|mark| *mark == 0) {
        job.append(
            &codec::display_text(bytes, encoding, false),
            0.0,
            style.marked(0),
        );
        return;
    }
    // One mark per unit: the strongest of its bytes.
    let mut units: Vec<(usize, u8)> = Vec::new();
    for_each_unit(bytes, encoding, |unit| {
        let mark = marks
            .get(unit.start..unit.start + unit.len)
            .and_then(|slice| slice.iter().max().copied())
            .unwrap_or(0);
        units.push((unit.start, mark));
    });
    let mut run = 0;
    while run < units.len() {
        let mark = units[run].1;
        let mut next = run + 1;
        while next < units.len() && units[next].1 == mark {
            next += 1;
        }
        let from = units[run].0;
        let to = units.get(next).map_or(bytes.len(), |unit| unit.0);
        job.append(
            &codec::display_text(&bytes[from..to], encoding, false),
            0.0,
            style.marked(mark),
        );
        run = next;
    }
}

fn content_job(
    data: &[u8],
    start: usize,
    end: usize,
    layout: Layout,
    marks: &[u8],
    style: &RowStyle,
) -> LayoutJob {
    let end = end.min(data.len());
    let start = start.min(end);
    let bytes = &data[start..end];
    let mut job = LayoutJob::default();
    match layout {
        Layout::Text(encoding) => append_marked_text(&mut job, bytes, encoding, marks, style),
        Layout::Hex => {
            let line = codec::hex_dump_line(bytes, start);
            let mut line_marks = vec![0u8; line.len()];
            for (i, mark) in marks.iter().enumerate().filter(|(_, mark)| **mark > 0) {
                let (hex, ascii) = hex_dump_columns(i);
                for column in [hex, hex + 1, ascii] {
                    if let Some(slot) = line_marks.get_mut(column) {
                        *slot = *mark;
                    }
                }
            }
            append_marked_ascii(&mut job, &line, &line_marks, style);
        }
        Layout::Both(encoding) => {
            let hex = format!("{start:08x}  {}", codec::to_hex(bytes));
            let hex = format!("{hex:<width$}", width = BOTH_TEXT_COLUMN);
            let mut hex_marks = vec![0u8; hex.len()];
            for (i, mark) in marks.iter().enumerate().filter(|(_, mark)| **mark > 0) {
                let column = 10 + 3 * i;
                for slot in hex_marks.iter_mut().skip(column).take(2) {
                    *slot = *mark;
                }
            }
            append_marked_ascii(&mut job, &hex, &hex_marks, style);
            append_marked_text(&mut job, bytes, encoding, marks, style);
        }
    }
    job
}

// ----- search -----

/// Where a match begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Match {
    seq: u64,
    start: usize,
}

/// The search over one socket's chunks, kept up to date as chunks come and go.
#[derive(Debug, Default)]
struct Finder {
    key: Option<(SocketId, String, SearchKind, TextEncoding)>,
    needle: Vec<u8>,
    error: Option<InputError>,
    /// Matches in order; a chunk's matches do not overlap.
    matches: VecDeque<Match>,
    /// The newest chunk searched.
    last_seq: Option<u64>,
    current: Option<usize>,
    /// Jump to the first match once found (set when the search text changes).
    wants_jump: bool,
    jump: Option<Match>,
    complete: bool,
}

impl Finder {
    fn sync(
        &mut self,
        view: &SocketView,
        query: &str,
        kind: SearchKind,
        encoding: TextEncoding,
        deadline: Option<Instant>,
    ) -> bool {
        // Chunks older than the last searched one are new to us: another session; start again.
        let restarted = self
            .last_seq
            .is_some_and(|last| view.chunks.back().is_some_and(|chunk| chunk.seq < last));
        let same = !restarted
            && self.key.as_ref().is_some_and(|(socket, text, k, e)| {
                *socket == view.id && text == query && *k == kind && *e == encoding
            });
        if !same {
            let parsed = if query.is_empty() {
                Ok(Vec::new())
            } else {
                match kind {
                    SearchKind::Text => codec::parse_escaped(query, encoding),
                    SearchKind::Hex => codec::parse_hex(query),
                }
            };
            *self = Finder {
                key: Some((view.id, query.to_string(), kind, encoding)),
                wants_jump: true,
                ..Finder::default()
            };
            match parsed {
                Ok(needle) => self.needle = needle,
                Err(error) => self.error = Some(error),
            }
        }
        if self.needle.is_empty() {
            self.complete = true;
            return true;
        }
        // Forget matches in chunks no longer retained.
        let first_seq = view.chunks.front().map(|chunk| chunk.seq);
        let mut dropped = 0;
        while let Some(found) = self.matches.front() {
            if first_seq.is_some_and(|seq| found.seq >= seq) {
                break;
            }
            self.matches.pop_front();
            dropped += 1;
        }
        if let Some(current) = self.current {
            self.current = match current.checked_sub(dropped) {
                Some(current) => Some(current),
                None if self.matches.is_empty() => None,
                None => Some(0),
            };
        }
        // Search the chunks that are new since the last frame.
        let start = match self.last_seq {
            None => 0,
            Some(last) => view.chunks.partition_point(|chunk| chunk.seq <= last),
        };
        self.complete = false;
        for (searched_now, chunk) in view.chunks.range(start..).enumerate() {
            if searched_now > 0 && deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return false;
            }
            let matches = &mut self.matches;
            find_all(&chunk.data, &self.needle, |at| {
                matches.push_back(Match {
                    seq: chunk.seq,
                    start: at,
                });
            });
            self.last_seq = Some(chunk.seq);
        }
        self.complete = true;
        if self.wants_jump {
            self.wants_jump = false;
            if self.current.is_none() && !self.matches.is_empty() {
                self.current = Some(0);
                self.jump = self.matches.front().copied();
            }
        }
        true
    }

    fn take_jump(&mut self) -> Option<Match> {
        self.jump.take()
    }

    /// One mark per byte of `seq`'s bytes `start..end`: 0 none, 1 a match, 2 the current match.
    fn marks_in(&self, seq: u64, start: usize, end: usize) -> Vec<u8> {
        let len = self.needle.len();
        if len == 0 || self.matches.is_empty() {
            return Vec::new();
        }
        let from = self
            .matches
            .partition_point(|found| (found.seq, found.start + len) <= (seq, start));
        let current = self.current.and_then(|current| self.matches.get(current));
        let mut marks = Vec::new();
        for found in self.matches.range(from..) {
            if found.seq != seq || found.start >= end {
                break;
            }
            if marks.is_empty() {
                marks = vec![0u8; end.saturating_sub(start).min(1 << 20)];
            }
            let mark = if Some(found) == current { 2 } else { 1 };
            let first = found.start.max(start) - start;
            let last = (found.start + len).min(end) - start;
            for slot in marks.iter_mut().take(last).skip(first) {
                *slot = mark;
            }
        }
        marks
    }
}

/// Calls `found` with where each non-overlapping occurrence of `needle` begins.
fn find_all(haystack: &[u8], needle: &[u8], mut found: impl FnMut(usize)) {
    let Some(&first) = needle.first() else {
        return;
    };
    if haystack.len() < needle.len() {
        return;
    }
    let last_start = haystack.len() - needle.len();
    let mut at = 0;
    while at <= last_start {
        let Some(offset) = haystack[at..=last_start]
            .iter()
            .position(|byte| *byte == first)
        else {
            return;
        };
        let candidate = at + offset;
        if haystack[candidate..].starts_with(needle) {
            found(candidate);
            at = candidate + needle.len();
        } else {
            at = candidate + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{Returned, SocketInfo, Started};
    use crate::engine::{Call, CallId, Event, Family, Origin, Outcome, RecvFlags, Value, WokenBy};
    use crate::session::Limits;
    use proptest::prelude::*;

    const SOCKET: SocketId = SocketId(1);

    struct Feed {
        session: Session,
        next_call: u64,
    }

    impl Feed {
        fn new(limits: Limits, sock_type: SockType) -> Self {
            let mut session = Session::new(limits);
            session.apply(Event::Opened(SocketInfo {
                socket: SOCKET,
                family: Family::Ipv4,
                sock_type,
                parent: None,
                at_us: 1_000,
            }));
            Feed {
                session,
                next_call: 1,
            }
        }

        fn tcp() -> Self {
            Feed::new(Limits::default(), SockType::Stream)
        }

        fn recv(&mut self, data: &[u8]) {
            self.recv_full(data, None, None);
        }

        fn recv_full(&mut self, data: &[u8], from: Option<&str>, truncated_from: Option<usize>) {
            let call_id = CallId(self.next_call);
            self.next_call += 1;
            let at_us = 1_000 + self.next_call * 1_000;
            self.session.apply(Event::Started(Started {
                socket: SOCKET,
                call_id,
                at_us,
                call: Call::Recv {
                    bufsize: 65_536,
                    flags: RecvFlags::default(),
                },
                origin: Origin::User,
            }));
            self.session.apply(Event::Returned(Returned {
                socket: SOCKET,
                call_id,
                at_us: at_us + 200,
                duration_us: 200,
                outcome: Outcome::Ok(Value::Bytes(data.len())),
                bytes_moved: data.len(),
                data: Some(data.to_vec()),
                from: from.map(crate::engine::address::at),
                truncated_from,
                woken_by: WokenBy::Readable,
                context: None,
            }));
        }

        fn view(&self) -> &SocketView {
            self.session.socket(SOCKET).expect("the socket")
        }
    }

    /// Every row of the index as (chunk seq, part), for comparing two indexes.
    fn all_rows(index: &RowIndex, view: &SocketView) -> Vec<(u64, RowPart)> {
        (0..index.total_rows())
            .map(|row| {
                let (at, part) = index.locate(row).expect("every row is located");
                let chunk = &view.chunks[at];
                let part = match part {
                    RowPart::Bytes { start, end } => RowPart::Bytes {
                        start,
                        end: end.min(chunk.data.len()),
                    },
                    header => header,
                };
                (chunk.seq, part)
            })
            .collect()
    }

    fn fresh_rows(view: &SocketView, layout: Layout) -> Vec<(u64, RowPart)> {
        let mut index = RowIndex::default();
        assert!(index.sync(view, layout, None));
        all_rows(&index, view)
    }

    const TEXT: Layout = Layout::Text(TextEncoding::Utf8);

    #[test]
    fn a_long_chunk_without_newline_is_cut_into_rows_of_96() {
        let data = vec![b'a'; 1000];
        let ranges = content_ranges(&data, TEXT);
        assert_eq!(ranges.len(), 11);
        assert!(
            ranges
                .iter()
                .all(|(start, end)| end - start <= TEXT_ROW_CHARS)
        );
        assert_eq!(ranges[0], (0, 96));
        assert_eq!(ranges[10], (960, 1000));
        // Escaped bytes count as the characters they are shown with.
        let zeros = vec![0u8; 50];
        let ranges = content_ranges(&zeros, TEXT);
        assert_eq!(ranges, vec![(0, 24), (24, 48), (48, 50)]);
        for (start, end) in ranges {
            assert!(row_text(&zeros, start, end, TEXT).chars().count() <= TEXT_ROW_CHARS);
        }
    }

    #[test]
    fn a_newline_ends_a_text_row_and_is_shown_escaped() {
        let data = b"one\ntwo\r\nthree\n";
        let ranges = content_ranges(data, TEXT);
        assert_eq!(ranges, vec![(0, 4), (4, 9), (9, 15)]);
        let rows: Vec<String> = ranges
            .iter()
            .map(|(start, end)| row_text(data, *start, *end, TEXT))
            .collect();
        assert_eq!(rows, vec!["one\\n", "two\\r\\n", "three\\n"]);
        assert!(content_ranges(b"", TEXT).is_empty());
    }

    #[test]
    fn characters_are_never_cut_across_rows() {
        let text = "中文".repeat(100);
        let ranges = content_ranges(text.as_bytes(), TEXT);
        // A wide character counts two columns: 48 characters (144 bytes) a row.
        assert_eq!(ranges[0], (0, 144));
        for (start, _) in &ranges {
            assert!(text.is_char_boundary(*start));
        }
        let gbk = codec::parse_escaped(&"中文".repeat(20), TextEncoding::Gbk).expect("gbk");
        let both = content_ranges(&gbk, Layout::Both(TextEncoding::Gbk));
        assert!(both.iter().all(|(start, end)| end - start <= HEX_ROW_BYTES));
        assert!(both.iter().all(|(start, _)| start % 2 == 0));
        let row = row_text(&gbk, both[0].0, both[0].1, Layout::Both(TextEncoding::Gbk));
        assert!(row.starts_with("00000000  d6 d0 ce c4"));
        assert_eq!(row[BOTH_TEXT_COLUMN..].chars().next(), Some('中'));
    }

    #[test]
    fn hex_rows_are_the_codec_hex_dump() {
        let data: Vec<u8> = (0x40..0x40 + 40).collect();
        let ranges = content_ranges(&data, Layout::Hex);
        assert_eq!(ranges, vec![(0, 16), (16, 32), (32, 40)]);
        let line = row_text(&data, 16, 32, Layout::Hex);
        assert_eq!(line, codec::hex_dump_line(&data[16..32], 16));
        // The highlight columns point at each byte's hex and its ASCII.
        for (i, byte) in data[16..32].iter().enumerate() {
            let (hex, ascii) = hex_dump_columns(i);
            assert_eq!(&line[hex..hex + 2], format!("{byte:02x}"));
            assert_eq!(line.as_bytes()[ascii], *byte);
        }
    }

    proptest! {
        #[test]
        fn rows_shown_together_are_exactly_the_chunks_text(
            data in proptest::collection::vec(any::<u8>(), 0..600),
            encoding in prop_oneof![
                Just(TextEncoding::Utf8), Just(TextEncoding::Gbk), Just(TextEncoding::Latin1)
            ],
        ) {
            let whole = codec::display_text(&data, encoding, false);
            let joined: String = content_ranges(&data, Layout::Text(encoding))
                .iter()
                .map(|(start, end)| row_text(&data, *start, *end, Layout::Text(encoding)))
                .collect();
            prop_assert_eq!(&joined, &whole);
            let both = content_ranges(&data, Layout::Both(encoding));
            let mut covered = 0;
            for (start, end) in &both {
                prop_assert_eq!(*start, covered);
                prop_assert!(end - start <= HEX_ROW_BYTES && end > start);
                covered = *end;
            }
            prop_assert_eq!(covered, data.len());
            let joined: String = both
                .iter()
                .map(|(start, end)| codec::display_text(&data[*start..*end], encoding, false))
                .collect();
            prop_assert_eq!(joined, whole);
        }
    }

    #[test]
    fn the_index_has_a_header_row_per_chunk_and_locates_every_row() {
        let mut feed = Feed::tcp();
        feed.recv(b"hello");
        feed.recv(&[b'x'; 200]);
        feed.recv(b"");
        let view = feed.view();
        let mut index = RowIndex::default();
        assert!(index.sync(view, TEXT, None));
        // 1 + 1, 1 + 3, 1 + 0 (EOF).
        assert_eq!(index.total_rows(), 7);
        let rows = all_rows(&index, view);
        let seqs: Vec<u64> = view.chunks.iter().map(|chunk| chunk.seq).collect();
        assert_eq!(rows[0], (seqs[0], RowPart::Header));
        assert_eq!(rows[1], (seqs[0], RowPart::Bytes { start: 0, end: 5 }));
        assert_eq!(rows[2], (seqs[1], RowPart::Header));
        assert_eq!(
            rows[5],
            (
                seqs[1],
                RowPart::Bytes {
                    start: 192,
                    end: 200
                }
            )
        );
        assert_eq!(rows[6], (seqs[2], RowPart::Header));
        assert_eq!(index.locate(7), None);
        assert_eq!(index.retained_bytes(), 205);
        // A byte offset leads back to its row.
        assert_eq!(index.row_of(view, seqs[1], 0), Some(3));
        assert_eq!(index.row_of(view, seqs[1], 100), Some(4));
        assert_eq!(index.row_of(view, seqs[1], 199), Some(5));
        assert_eq!(index.row_of(view, 999, 0), None);
    }

    #[test]
    fn new_chunks_are_indexed_incrementally() {
        for layout in [TEXT, Layout::Hex, Layout::Both(TextEncoding::Gbk)] {
            let mut feed = Feed::tcp();
            let mut index = RowIndex::default();
            for round in 0..5 {
                for n in 0..7 {
                    feed.recv(&vec![b'a' + n; 10 + round * 50 + usize::from(n) * 13]);
                }
                let entries_before = index.entries.len();
                assert!(index.sync(feed.view(), layout, None));
                assert_eq!(index.entries.len(), entries_before + 7);
                assert_eq!(
                    all_rows(&index, feed.view()),
                    fresh_rows(feed.view(), layout)
                );
            }
        }
    }

    #[test]
    fn chunks_dropped_by_the_memory_cap_leave_the_index() {
        let mut feed = Feed::new(
            Limits {
                max_log_entries: 10_000,
                max_retained_bytes: 1_000,
                ..Limits::default()
            },
            SockType::Stream,
        );
        let mut index = RowIndex::default();
        for n in 0..40u8 {
            feed.recv(&vec![b'a' + n % 26; 150 + usize::from(n)]);
            if n % 3 == 0 {
                assert!(index.sync(feed.view(), TEXT, None));
                assert_eq!(all_rows(&index, feed.view()), fresh_rows(feed.view(), TEXT));
            }
        }
        assert!(index.sync(feed.view(), TEXT, None));
        assert!(feed.session.stats().dropped_chunks > 0);
        assert_eq!(index.entries.len(), feed.view().chunks.len());
        assert_eq!(all_rows(&index, feed.view()), fresh_rows(feed.view(), TEXT));
        let retained: usize = feed.view().chunks.iter().map(|c| c.data.len()).sum();
        assert_eq!(index.retained_bytes(), retained as u64);
        assert_eq!(
            index.splits.len() as u64,
            index.next_split - index.splits_base
        );
    }

    #[test]
    fn clear_empties_the_index_and_later_chunks_are_indexed() {
        let mut feed = Feed::tcp();
        feed.recv(b"before");
        let mut index = RowIndex::default();
        assert!(index.sync(feed.view(), TEXT, None));
        assert_eq!(index.total_rows(), 2);
        feed.session.clear_chunks(SOCKET);
        assert!(index.sync(feed.view(), TEXT, None));
        assert_eq!(index.total_rows(), 0);
        feed.recv(b"after\nthat");
        assert!(index.sync(feed.view(), TEXT, None));
        assert_eq!(all_rows(&index, feed.view()), fresh_rows(feed.view(), TEXT));
        assert_eq!(index.total_rows(), 3);
        // Clear and new data between two frames.
        feed.session.clear_chunks(SOCKET);
        feed.recv(b"third");
        assert!(index.sync(feed.view(), TEXT, None));
        assert_eq!(all_rows(&index, feed.view()), fresh_rows(feed.view(), TEXT));
    }

    #[test]
    fn a_changed_layout_or_socket_rebuilds_the_index() {
        let mut feed = Feed::tcp();
        feed.recv(&[7u8; 40]);
        let mut index = RowIndex::default();
        assert!(index.sync(feed.view(), TEXT, None));
        assert_eq!(index.total_rows(), 3); // 40 bytes of \x07 = 160 columns: two rows.
        assert!(index.sync(feed.view(), Layout::Hex, None));
        assert_eq!(index.total_rows(), 4);
        assert_eq!(
            all_rows(&index, feed.view()),
            fresh_rows(feed.view(), Layout::Hex)
        );
    }

    #[test]
    fn indexing_is_spread_over_frames_by_the_time_budget() {
        let mut feed = Feed::tcp();
        for _ in 0..100 {
            feed.recv(b"tick\n");
        }
        let mut index = RowIndex::default();
        let past = Some(Instant::now());
        let mut frames = 0;
        while !index.sync(feed.view(), TEXT, past) {
            frames += 1;
            assert!(frames < 1_000);
        }
        // At least one chunk a frame, so it always ends.
        assert!(frames >= 1);
        assert_eq!(all_rows(&index, feed.view()), fresh_rows(feed.view(), TEXT));
    }

    #[test]
    fn find_all_finds_non_overlapping_matches() {
        let mut found = Vec::new();
        find_all(b"aaaa ab aab", b"aa", |at| found.push(at));
        assert_eq!(found, vec![0, 2, 8]);
        let mut none = Vec::new();
        find_all(b"ab", b"abc", |at| none.push(at));
        find_all(b"abc", b"", |at| none.push(at));
        assert!(none.is_empty());
    }

    #[test]
    fn search_counts_matches_follows_new_chunks_and_drops_old_ones() {
        let mut feed = Feed::new(
            Limits {
                max_log_entries: 10_000,
                max_retained_bytes: 30,
                ..Limits::default()
            },
            SockType::Stream,
        );
        feed.recv(b"GET / HTTP/1.0\r\n");
        feed.recv(b"\r\n");
        let mut finder = Finder::default();
        assert!(finder.sync(
            feed.view(),
            "\\r\\n",
            SearchKind::Text,
            TextEncoding::Utf8,
            None
        ));
        assert_eq!(finder.matches.len(), 2);
        assert_eq!(finder.current, Some(0));
        assert_eq!(
            finder.take_jump(),
            Some(Match {
                seq: feed.view().chunks[0].seq,
                start: 14
            })
        );
        // The same bytes as hex.
        assert!(finder.sync(
            feed.view(),
            "0d 0a",
            SearchKind::Hex,
            TextEncoding::Utf8,
            None
        ));
        assert_eq!(finder.matches.len(), 2);
        // New chunks are searched; the oldest go with the memory cap.
        finder.current = Some(1);
        feed.recv(b"x\r\ny\r\n");
        feed.recv(b"zzzzzzzzzzzzzzzz");
        assert!(finder.sync(
            feed.view(),
            "0d 0a",
            SearchKind::Hex,
            TextEncoding::Utf8,
            None
        ));
        assert_eq!(feed.view().chunks.len(), 3);
        assert_eq!(finder.matches.len(), 3);
        assert_eq!(finder.current, Some(0));
        // Marks: the current match strong, the others plain.
        let seq = feed.view().chunks[1].seq;
        assert_eq!(finder.marks_in(seq, 0, 6), vec![0, 1, 1, 0, 1, 1]);
        let first = feed.view().chunks[0].seq;
        assert_eq!(finder.marks_in(first, 0, 2), vec![2, 2]);
        assert!(finder.marks_in(feed.view().chunks[2].seq, 0, 16).is_empty());
        // Bad input is reported, never searched.
        assert!(finder.sync(
            feed.view(),
            "0d 0",
            SearchKind::Hex,
            TextEncoding::Utf8,
            None
        ));
        assert!(finder.matches.is_empty());
        assert!(
            finder
                .error
                .as_ref()
                .is_some_and(|e| e.to_string().contains("at character 4"))
        );
    }

    #[test]
    fn search_text_is_encoded_in_the_view_encoding() {
        let mut feed = Feed::tcp();
        feed.recv(&[0xd6, 0xd0, 0xce, 0xc4, b'!']);
        let mut finder = Finder::default();
        finder.sync(feed.view(), "文", SearchKind::Text, TextEncoding::Gbk, None);
        assert_eq!(finder.matches.len(), 1);
        assert_eq!(finder.matches[0].start, 2);
        finder.sync(
            feed.view(),
            "文",
            SearchKind::Text,
            TextEncoding::Utf8,
            None,
        );
        assert!(finder.matches.is_empty());
    }

    #[test]
    fn step_match_wraps_around() {
        let mut feed = Feed::tcp();
        feed.recv(b"a-a-a");
        let mut view = ReceivedView::new();
        view.search = "a".into();
        assert!(view.refresh(feed.view(), None));
        assert_eq!((view.match_count(), view.current_match()), (3, Some(0)));
        view.step_match(true);
        view.step_match(true);
        assert_eq!(view.current_match(), Some(2));
        view.step_match(true);
        assert_eq!(view.current_match(), Some(0));
        view.step_match(false);
        assert_eq!(view.current_match(), Some(2));
    }

    #[test]
    fn headers_tell_time_size_sender_truncation_and_eof() {
        let mut feed = Feed::new(Limits::default(), SockType::Datagram);
        feed.recv_full(b"01234567", Some("127.0.0.1:9999"), Some(23));
        feed.recv_full(b"", Some("127.0.0.1:9999"), None);
        let view = feed.view();
        let text = |index: usize| -> String {
            header_pieces(&view.chunks[index], view, index as u64 + 1, Lang::En)
                .into_iter()
                .map(|(text, _)| text)
                .collect()
        };
        assert_eq!(
            text(0),
            "#1 at 0.003 s · 8 bytes · from ('127.0.0.1', 9999) · datagram of 23 bytes truncated to 8"
        );
        assert!(text(1).contains("an empty datagram"));
        let mut tcp = Feed::tcp();
        tcp.recv(b"");
        let view = tcp.view();
        let header: String = header_pieces(&view.chunks[0], view, 1, Lang::En)
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        assert!(header.contains("EOF: recv returned b''"));
    }

    #[test]
    fn shown_text_and_save_cover_every_retained_chunk() {
        let mut feed = Feed::tcp();
        feed.recv(b"hi\x1b[2J");
        feed.recv(b"there\n");
        let mut view = ReceivedView::new();
        let (text, complete) = view.shown_text(feed.view(), Lang::En);
        assert!(complete);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("#1 at 0.003 s · 6 bytes"));
        assert_eq!(lines[1], "hi\\x1b[2J");
        assert_eq!(lines[3], "there\\n");
        view.mode = DisplayMode::Hex;
        let (hex, _) = view.shown_text(feed.view(), Lang::En);
        assert!(hex.contains("00000000  68 69 1b 5b 32 4a"));

        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.bin");
        let path_text = path.to_string_lossy().into_owned();
        assert_eq!(view.save_to(feed.view(), &path_text, Lang::En), Ok(12));
        assert_eq!(std::fs::read(&path).expect("saved"), b"hi\x1b[2Jthere\n");
        let bad = dir.path().join("no/such/dir/out.bin");
        let error = view
            .save_to(feed.view(), &bad.to_string_lossy(), Lang::En)
            .expect_err("no such directory");
        assert!(error.contains("out.bin"));
        assert!(view.save_to(feed.view(), "  ", Lang::En).is_err());
    }

    // ----- messages split from the stream -----

    use crate::engine::event::AutoSummary;
    use crate::messages::framing::LengthPrefix;

    fn prefixed(payload: &[u8]) -> Vec<u8> {
        let mut framed = (payload.len() as u32).to_be_bytes().to_vec();
        framed.extend_from_slice(payload);
        framed
    }

    fn prefix_rule() -> FramingRule {
        FramingRule::LengthPrefix(LengthPrefix::default())
    }

    /// A received view splitting by `rule`.
    fn framed(rule: FramingRule) -> ReceivedView {
        ReceivedView {
            framing: Some(rule),
            ..ReceivedView::default()
        }
    }

    fn headers(view: &ReceivedView) -> Vec<String> {
        view.messages.headers(Lang::En)
    }

    #[test]
    fn three_sends_in_one_recv_and_one_message_in_two_recvs() {
        let mut feed = Feed::tcp();
        let mut view = framed(prefix_rule());
        let mut three = Vec::new();
        for word in ["one", "two", "three"] {
            three.extend(prefixed(word.as_bytes()));
        }
        feed.recv(&three);
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.message_count(), 3);
        let split = prefixed(b"hello world");
        feed.recv(&split[..7]);
        assert!(view.refresh(feed.view(), None));
        assert_eq!(
            view.messages.message_count(),
            3,
            "half a message is no message"
        );
        feed.recv(&split[7..]);
        assert!(view.refresh(feed.view(), None));
        let payloads: Vec<&[u8]> = view.messages.payloads();
        assert_eq!(
            payloads,
            vec![&b"one"[..], b"two", b"three", b"hello world"]
        );
        assert_eq!(
            headers(&view),
            vec![
                "1 · at #1 · message, 3 bytes",
                "2 · at #1 + 7 · message, 3 bytes",
                "3 · at #1 + 14 · message, 5 bytes",
                "4 · at #2 · message, 11 bytes, arrived in 2 recv chunks",
            ]
        );
    }

    #[test]
    fn chunks_are_fed_once_and_a_changed_rule_splits_again_from_the_first() {
        let mut feed = Feed::tcp();
        let mut view = framed(FramingRule::Line);
        feed.recv(b"a\nb");
        assert!(view.refresh(feed.view(), None));
        // Nothing new: nothing fed again.
        assert!(view.refresh(feed.view(), None));
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.payloads(), vec![&b"a"[..]]);
        feed.recv(b"\nc\n");
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.payloads(), vec![&b"a"[..], b"b", b"c"]);
        view.framing = Some(FramingRule::Delimiter(b"b".to_vec()));
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.payloads(), vec![&b"a\n"[..]]);
        // A datagram socket's view splits nothing.
        let mut udp = Feed::new(Limits::default(), SockType::Datagram);
        udp.recv(b"x\n");
        let mut view = framed(FramingRule::Line);
        assert!(view.refresh(udp.view(), None));
        assert_eq!(view.messages.message_count(), 0);
    }

    #[test]
    fn the_end_of_the_stream_shows_an_unfinished_message() {
        let mut feed = Feed::tcp();
        let mut view = framed(prefix_rule());
        feed.recv(&prefixed(b"whole"));
        feed.recv(&prefixed(b"cut short")[..6]);
        feed.recv(b"");
        assert!(view.refresh(feed.view(), None));
        assert_eq!(
            headers(&view)[1],
            "at #2 · the stream ended in the middle of a message: 6 bytes left over"
        );
    }

    #[test]
    fn a_gap_from_the_memory_cap_is_said_and_splitting_starts_after_it() {
        let mut feed = Feed::new(
            Limits {
                max_log_entries: 10_000,
                max_retained_bytes: 100,
                ..Limits::default()
            },
            SockType::Stream,
        );
        let mut view = framed(FramingRule::Line);
        feed.recv(b"first\nsecond-");
        assert!(view.refresh(feed.view(), None));
        // Three chunks of 40 bytes: the oldest go before the view sees them.
        for _ in 0..3 {
            feed.recv(&[b'x'; 40]);
        }
        feed.recv(b"\nafter\n");
        assert!(feed.session.stats().dropped_chunks > 0);
        assert!(view.refresh(feed.view(), None));
        let headers = headers(&view);
        assert_eq!(headers[0], "1 · at #1 · message, 5 bytes");
        assert_eq!(
            headers[1],
            "1 recv chunk was dropped (the memory cap, or Clear) before being split: the \
             messages cannot be followed exactly here; splitting starts again at #3; the \
             unfinished message they cut short (7 bytes) is not shown"
        );
        // After the gap the next chunk is taken to begin a message.
        assert_eq!(
            view.messages.payloads(),
            vec![&b"first"[..], &[b'x'; 80][..], b"after"]
        );
        // Clear empties the list; the stream goes on.
        feed.session.clear_chunks(SOCKET);
        feed.recv(b"next\n");
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.payloads(), vec![&b"next"[..]]);
    }

    #[test]
    fn a_sample_of_the_automatic_receive_is_a_gap_unless_it_holds_every_byte() {
        let mut feed = Feed::tcp();
        let mut view = framed(FramingRule::Line);
        let sample = |feed: &mut Feed, data: &[u8], bytes: u64| {
            feed.session.apply(Event::Auto(AutoSummary {
                socket: SOCKET,
                from_us: 5_000,
                to_us: 6_000,
                recv_calls: 3,
                recv_bytes: bytes,
                sample: data.to_vec(),
                ..AutoSummary::default()
            }));
        };
        sample(&mut feed, b"all\nof it\n", 10);
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.payloads(), vec![&b"all"[..], b"of it"]);
        sample(&mut feed, b"only the start", 1_000_000);
        feed.recv(b"rest\nnew\n");
        assert!(view.refresh(feed.view(), None));
        let headers = headers(&view);
        assert!(
            headers[2].starts_with("#2: the automatic receive kept only a sample of 3 recv calls"),
            "{headers:?}"
        );
        // Splitting starts again after the sample.
        assert_eq!(
            view.messages.payloads(),
            vec![&b"all"[..], b"of it", b"rest", b"new"]
        );
    }

    #[test]
    fn the_list_keeps_the_newest_entries_and_counts_the_others() {
        let mut feed = Feed::tcp();
        let mut view = framed(FramingRule::FixedSize(1));
        feed.recv(&vec![b'm'; framing_view::MAX_ENTRIES + 4_000]);
        assert!(view.refresh(feed.view(), None));
        assert_eq!(
            view.messages.message_count(),
            framing_view::MAX_ENTRIES as u64 + 4_000
        );
        assert_eq!(view.messages.dropped(), 4_000);
        assert_eq!(view.messages.payloads().len(), framing_view::MAX_ENTRIES);
        assert_eq!(headers(&view)[0], "4001 · at #1 + 4000 · message, 1 byte");
        // Later chunks push the oldest out, counted the same.
        feed.recv(b"0123456789");
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.dropped(), 4_010);
        assert_eq!(view.messages.payloads().len(), framing_view::MAX_ENTRIES);
        assert_eq!(headers(&view)[0], "4011 · at #1 + 4010 · message, 1 byte");
        assert_eq!(
            headers(&view)[framing_view::MAX_ENTRIES - 1],
            "14010 · at #2 + 9 · message, 1 byte"
        );
        // A long message keeps its first bytes and says so.
        let mut feed = Feed::tcp();
        let mut view = framed(prefix_rule());
        feed.recv(&prefixed(&vec![b'a'; 10_000]));
        assert!(view.refresh(feed.view(), None));
        assert_eq!(view.messages.payloads()[0].len(), framing_view::SHOWN_BYTES);
        assert_eq!(
            headers(&view)[0],
            "1 · at #1 · message, 10000 bytes · the first 4096 bytes shown"
        );
    }

    #[test]
    fn a_length_over_the_cap_stops_splitting_until_asked_again() {
        let mut feed = Feed::tcp();
        let mut view = framed(prefix_rule());
        let mut stream = prefixed(b"ok");
        stream.extend_from_slice(&[0x7f, 0xff, 0xff, 0xff]);
        stream.extend_from_slice(&[0; 64]);
        feed.recv(&stream);
        for _ in 0..100 {
            feed.recv(&[0xff; 1000]);
        }
        assert!(view.refresh(feed.view(), None));
        assert!(view.messages.is_stopped());
        let broken = &headers(&view)[1];
        assert!(broken.starts_with("at #1 + 6 · the length prefix says 2147483647 bytes"));
        assert!(broken.contains("framing stopped"));
        feed.recv(b"");
        assert!(view.refresh(feed.view(), None));
        assert_eq!(
            headers(&view)[2],
            "at #1 + 10 · skipped 100064 bytes (not split into messages)"
        );
        // Split again from the next chunk.
        view.messages.restart();
        feed.recv(&prefixed(b"again"));
        assert!(view.refresh(feed.view(), None));
        assert_eq!(headers(&view)[3], "splitting starts again at #103");
        assert_eq!(headers(&view)[4], "2 · at #103 · message, 5 bytes");
    }

    #[test]
    fn splitting_is_spread_over_frames_by_the_time_budget() {
        let mut feed = Feed::tcp();
        for _ in 0..50 {
            feed.recv(b"a\nb\n");
        }
        let mut view = framed(FramingRule::Line);
        let past = Some(Instant::now());
        let mut frames = 0;
        while !view.refresh(feed.view(), past) {
            frames += 1;
            assert!(frames < 1_000);
        }
        assert_eq!(view.messages.message_count(), 100);
    }
}
