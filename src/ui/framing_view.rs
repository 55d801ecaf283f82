//! Messages in the received view (PRODUCT part 15): a stream socket's bytes split into
//! messages by a framing rule (a line, a delimiter, a fixed size, a length prefix), shown
//! beside the raw recv chunks, so three sends in one recv and one message over two recvs are
//! both seen as messages.
//!
//! The framer ([`Framer`]) is fed the socket's chunks as they arrive, each once, by its number
//! (1 = the first the socket received): never the whole stream again each frame. When the
//! chunks no longer follow on from the last one fed (the session's memory cap or Clear took
//! some before they were split) or a chunk is an automatic-receive sample that lacks bytes,
//! the view says so and starts a new framer after the gap. The list keeps at most
//! [`MAX_ENTRIES`] entries and [`SHOWN_BYTES`] of each message (the oldest go first, counted),
//! so a flood never grows it without bound; a stream that breaks the rule is shown as such.

use super::{HEADER_SEPARATOR, Layout, RowStyle, content_job, content_ranges, first_chunk_number};
use crate::codec::TextEncoding;
use crate::engine::{SockType, SocketId};
use crate::i18n::Lang;
use crate::messages::ByteOrder;
use crate::messages::framing::{
    self, BrokenProblem, DEFAULT_CAP, Frame, Framer, FramingError, FramingRule, LengthPrefix,
    PrefixWidth,
};
use crate::session::{Chunk, ChunkKind, SocketView};
use crate::t;
use crate::ui::{bytes_text, theme};
use egui::text::LayoutJob;
use std::collections::VecDeque;
use std::time::Instant;

/// The list keeps this many entries (messages, problems, gaps); older ones are counted.
pub const MAX_ENTRIES: usize = 10_000;
/// The bytes of a message the list keeps and shows (its size is always told in full).
pub const SHOWN_BYTES: usize = 4096;
/// The shown bytes of all entries together stay under this.
const MAX_HELD_BYTES: usize = 4 << 20;
/// Where chunks start in the framer's stream: at most this many are remembered (a message
/// spread over more recvs is shown without where it began).
const MAX_STARTS: usize = 65_536;
/// Side by side only when each side gets this much width (points).
const MIN_SIDE_WIDTH: f32 = 300.0;

// ----- the rule as a person chooses it -----

/// Which kind of rule the toolbar's choice shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum RuleKind {
    #[default]
    None,
    Line,
    Delimiter,
    FixedSize,
    LengthPrefix,
}

impl RuleKind {
    const ALL: [RuleKind; 5] = [
        RuleKind::None,
        RuleKind::Line,
        RuleKind::Delimiter,
        RuleKind::FixedSize,
        RuleKind::LengthPrefix,
    ];

    fn of(rule: Option<&FramingRule>) -> RuleKind {
        match rule {
            None => RuleKind::None,
            Some(FramingRule::Line) => RuleKind::Line,
            Some(FramingRule::Delimiter(_)) => RuleKind::Delimiter,
            Some(FramingRule::FixedSize(_)) => RuleKind::FixedSize,
            Some(FramingRule::LengthPrefix(_)) => RuleKind::LengthPrefix,
        }
    }

    fn label(self, lang: Lang) -> String {
        match self {
            RuleKind::None => t!(lang, "received-framing-none"),
            RuleKind::Line => t!(lang, "received-framing-line"),
            RuleKind::Delimiter => t!(lang, "received-framing-delimiter"),
            RuleKind::FixedSize => t!(lang, "received-framing-fixed"),
            RuleKind::LengthPrefix => t!(lang, "received-framing-prefix"),
        }
    }
}

/// Why the rule as typed cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FormError {
    Rule(FramingError),
    /// The fixed size as typed is not a whole number.
    Size(String),
}

/// The framing choice as typed (the rule in effect is [`super::ReceivedView::framing`]).
#[derive(Debug, Default)]
pub(super) struct FramingForm {
    kind: RuleKind,
    /// The delimiter as typed, with escapes.
    delimiter: String,
    /// The fixed size as typed.
    size: String,
    prefix: LengthPrefix,
    /// The encoding the delimiter was read in.
    encoding: TextEncoding,
    /// The rule this form last gave the view; another one came from elsewhere (a workspace)
    /// and is shown instead. None: not shown yet.
    applied: Option<Option<FramingRule>>,
    error: Option<FormError>,
}

impl FramingForm {
    /// Shows `rule` in the form, keeping what was typed for the other kinds.
    fn load(&mut self, rule: Option<&FramingRule>) {
        self.kind = RuleKind::of(rule);
        match rule {
            Some(FramingRule::Delimiter(bytes)) => self.delimiter = framing::delimiter_text(bytes),
            Some(FramingRule::FixedSize(size)) => self.size = size.to_string(),
            Some(FramingRule::LengthPrefix(prefix)) => self.prefix = *prefix,
            _ => {}
        }
        if self.delimiter.is_empty() {
            self.delimiter = "\\r\\n".into();
        }
        if self.size.is_empty() {
            self.size = "8".into();
        }
        self.applied = Some(rule.cloned());
        self.error = None;
    }

    /// The rule as typed (None: not split), or why it cannot be used.
    fn build(&self, encoding: TextEncoding) -> Result<Option<FramingRule>, FormError> {
        let rule = match self.kind {
            RuleKind::None => return Ok(None),
            RuleKind::Line => FramingRule::Line,
            RuleKind::Delimiter => FramingRule::delimiter_from_text(&self.delimiter, encoding)
                .map_err(FormError::Rule)?,
            RuleKind::FixedSize => {
                let size = self.size.trim();
                let size = size
                    .parse::<usize>()
                    .map_err(|_| FormError::Size(size.to_string()))?;
                let rule = FramingRule::FixedSize(size);
                rule.validate(DEFAULT_CAP).map_err(FormError::Rule)?;
                rule
            }
            RuleKind::LengthPrefix => FramingRule::LengthPrefix(self.prefix),
        };
        Ok(Some(rule))
    }

    /// Why the rule as typed is not used, in `lang`.
    fn error_text(&self, lang: Lang) -> Option<String> {
        let error = match self.error.as_ref()? {
            FormError::Rule(error) => error.text(lang),
            FormError::Size(text) => t!(lang, "received-framing-size-bad", text = text.as_str()),
        };
        Some(t!(lang, "received-framing-unusable", error = error))
    }
}

/// The framing choice in the received view's toolbar: none, lines, a delimiter (typed with
/// escapes), a fixed size or a length prefix, with the rule's own settings beside it. A valid
/// choice goes into `framing` at once; an invalid one turns framing off and says why
/// ([`form_error_ui`]).
pub(super) fn framing_controls_ui(
    ui: &mut egui::Ui,
    framing: &mut Option<FramingRule>,
    form: &mut FramingForm,
    encoding: TextEncoding,
) {
    let lang = crate::ui::lang(ui.ctx());
    if form.applied.as_ref() != Some(&*framing) {
        form.load(framing.as_ref());
        form.encoding = encoding;
    }
    let before = form.kind;
    let words = t!(lang, "received-framing");
    room_for(ui, &words, combo_width(ui));
    let label = ui.label(words);
    egui::ComboBox::from_id_salt("received_framing")
        .selected_text(form.kind.label(lang))
        .show_ui(ui, |ui| {
            for kind in RuleKind::ALL {
                ui.selectable_value(&mut form.kind, kind, kind.label(lang));
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(t!(lang, "received-framing-tip"));
    let mut changed = form.kind != before;
    match form.kind {
        RuleKind::Delimiter => {
            let words = t!(lang, "received-framing-delimiter-field");
            room_for(ui, &words, 64.0);
            let label = ui.label(words);
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut form.delimiter)
                        .desired_width(64.0)
                        .font(egui::TextStyle::Monospace)
                        .hint_text(t!(lang, "received-framing-delimiter-hint")),
                )
                .labelled_by(label.id)
                .on_hover_text(t!(lang, "received-framing-delimiter-tip"))
                .changed();
            // A typed delimiter is encoded in the view's encoding.
            changed |= form.encoding != encoding;
        }
        RuleKind::FixedSize => {
            let words = t!(lang, "received-framing-size-field");
            room_for(ui, &words, 56.0);
            let label = ui.label(words);
            changed |= ui
                .add(egui::TextEdit::singleline(&mut form.size).desired_width(56.0))
                .labelled_by(label.id)
                .changed();
        }
        RuleKind::LengthPrefix => changed |= length_prefix_ui(ui, &mut form.prefix),
        RuleKind::None | RuleKind::Line => {}
    }
    if changed {
        form.encoding = encoding;
        let built = form.build(encoding);
        let rule = built.clone().unwrap_or(None);
        form.error = built.err();
        form.applied = Some(rule.clone());
        *framing = rule;
    }
}

/// In a wrapping row: starts a new row unless a label with these words and a field `field`
/// points wide fit in this one (a label is never left at the end of a row without its field).
fn room_for(ui: &mut egui::Ui, words: &str, field: f32) {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text = ui
        .fonts_mut(|fonts| fonts.layout_no_wrap(words.to_owned(), font, egui::Color32::WHITE))
        .size()
        .x;
    let needed = text + ui.spacing().item_spacing.x + field;
    // What is left of this row (available_width is a whole row's in a wrapping layout).
    if ui.available_size_before_wrap().x < needed {
        ui.end_row();
    }
}

/// About how wide a combo box is.
fn combo_width(ui: &egui::Ui) -> f32 {
    ui.spacing().combo_width + 2.0 * ui.spacing().button_padding.x
}

/// Why the rule as typed is not used (nothing when it is).
pub(super) fn form_error_ui(ui: &mut egui::Ui, form: &FramingForm) {
    if let Some(text) = form.error_text(crate::ui::lang(ui.ctx())) {
        ui.colored_label(theme::error_color(ui.visuals()), text);
    }
}

/// A length prefix's width (1, 2 or 4 bytes), byte order (for 2 and 4) and whether it counts
/// itself: the received view's framing and the composer's "add a length prefix" both use it.
/// True when something changed.
pub(in crate::ui) fn length_prefix_ui(ui: &mut egui::Ui, prefix: &mut LengthPrefix) -> bool {
    let lang = crate::ui::lang(ui.ctx());
    let before = *prefix;
    let width_text =
        |width: PrefixWidth| t!(lang, "received-framing-prefix-bytes", count = width.bytes());
    let words = t!(lang, "received-framing-prefix-width");
    room_for(ui, &words, combo_width(ui));
    let label = ui.label(words);
    egui::ComboBox::from_id_salt("prefix_width")
        .selected_text(width_text(prefix.width))
        .show_ui(ui, |ui| {
            for width in PrefixWidth::ALL {
                ui.selectable_value(&mut prefix.width, width, width_text(width));
            }
        })
        .response
        .labelled_by(label.id);
    // One byte has no order.
    if prefix.width != PrefixWidth::One {
        let order_text = |order: ByteOrder| match order {
            ByteOrder::Big => t!(lang, "received-framing-prefix-big"),
            ByteOrder::Little => t!(lang, "received-framing-prefix-little"),
        };
        let words = t!(lang, "received-framing-prefix-order");
        room_for(ui, &words, combo_width(ui));
        let label = ui.label(words);
        egui::ComboBox::from_id_salt("prefix_order")
            .selected_text(order_text(prefix.order))
            .show_ui(ui, |ui| {
                for order in [ByteOrder::Big, ByteOrder::Little] {
                    ui.selectable_value(&mut prefix.order, order, order_text(order));
                }
            })
            .response
            .labelled_by(label.id);
    }
    ui.checkbox(
        &mut prefix.counts_itself,
        t!(lang, "received-framing-prefix-itself"),
    )
    .on_hover_text(t!(lang, "received-framing-prefix-itself-tip"));
    *prefix != before
}

// ----- the messages found -----

/// What one entry of the list is.
#[derive(Debug)]
enum What {
    /// A whole message: its number (1 = the first found), its payload's size, how many recv
    /// chunks carried it, and its first [`SHOWN_BYTES`] bytes.
    Message {
        number: u64,
        size: usize,
        recvs: u64,
        shown: Vec<u8>,
    },
    /// A frame that is not a message: the stream broke the rule, bytes were skipped, or the
    /// stream ended in the middle of one (worded by [`Frame::summary`]).
    Problem(Frame),
    /// `count` chunks went before they were split (the memory cap, or Clear); splitting
    /// starts again at chunk `next`. `unfinished` bytes of a message went with them.
    Gap {
        count: u64,
        next: u64,
        unfinished: usize,
    },
    /// Chunk `chunk` is an automatic-receive sample without all its period's bytes.
    Sampled {
        chunk: u64,
        calls: u64,
        bytes: u64,
        unfinished: usize,
    },
    /// A person asked to split again from chunk `chunk` on.
    Restarted { chunk: u64 },
}

impl What {
    /// The bytes it keeps.
    fn held(&self) -> usize {
        match self {
            What::Message { shown, .. } => shown.len(),
            _ => 0,
        }
    }
}

#[derive(Debug)]
struct Entry {
    what: What,
    /// Where it starts: the chunk's number and the byte in that chunk (None when unknown).
    at: Option<(u64, u64)>,
    /// Its bytes' rows (a message's), as byte ranges of the shown bytes.
    rows: Vec<(u32, u32)>,
    /// Its header row (absolute: rows only grow, the oldest go at the front).
    first_row: u64,
}

/// How an entry's header piece is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Plain,
    Strong,
    Weak,
    Warn,
    Error,
}

/// The messages of one stream socket's chunks, kept up to date as chunks arrive.
#[derive(Debug, Default)]
pub(super) struct MessageList {
    /// The socket and rule followed; None: nothing is split.
    key: Option<(SocketId, FramingRule)>,
    layout: Option<Layout>,
    /// None when the rule cannot be followed (`error` says why).
    framer: Option<Framer>,
    error: Option<FramingError>,
    /// The number (1 = the first the socket received) of the last chunk fed.
    fed: u64,
    /// The socket's `counters.cleared_chunks` when last looked at.
    cleared: u64,
    /// Where each chunk fed to the current framer starts in its stream, with the chunk's
    /// number; the oldest are forgotten once no frame can begin in them.
    starts: VecDeque<(u64, u64)>,
    /// Where the next frame begins in the current framer's stream.
    next_at: u64,
    entries: VecDeque<Entry>,
    /// Entries dropped at the front to keep the list bounded.
    dropped: u64,
    /// The shown bytes of all entries.
    held: usize,
    /// Whole messages found so far.
    messages: u64,
    next_row: u64,
    /// The wrong length that stopped the current framer, if one did.
    stopped_by: Option<BrokenProblem>,
}

impl MessageList {
    /// Follows `view`'s chunks with `rule` (None, or a datagram socket: nothing is split),
    /// feeding those new since the last call, until `deadline`. True when every chunk is fed.
    pub(super) fn sync(
        &mut self,
        view: &SocketView,
        rule: Option<&FramingRule>,
        layout: Layout,
        deadline: Option<Instant>,
    ) -> bool {
        let Some(rule) = rule.filter(|_| view.sock_type == SockType::Stream) else {
            if self.key.is_some() {
                *self = MessageList::default();
            }
            return true;
        };
        let same = self
            .key
            .as_ref()
            .is_some_and(|(socket, followed)| *socket == view.id && followed == rule);
        // Fewer chunks than were fed: another session.
        if !same || view.counters.chunks < self.fed {
            self.start(view, rule);
        }
        if self.layout != Some(layout) {
            self.relayout(layout);
        }
        if self.framer.is_none() {
            return true;
        }
        if view.counters.cleared_chunks != self.cleared {
            // Clear empties the list too; the stream goes on where it was.
            self.cleared = view.counters.cleared_chunks;
            self.entries.clear();
            self.held = 0;
            self.dropped = 0;
        }
        let first = first_chunk_number(view);
        let mut fed_now = 0usize;
        loop {
            let want = self.fed + 1;
            if want < first {
                self.gap(first - want, first);
                self.fed = first - 1;
                continue;
            }
            let chunk = usize::try_from(want - first)
                .ok()
                .and_then(|index| view.chunks.get(index));
            let Some(chunk) = chunk else {
                return true;
            };
            if fed_now > 0 && deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return false;
            }
            self.feed(chunk, want);
            self.fed = want;
            fed_now += 1;
        }
    }

    /// Splits `view`'s stream by `rule` from its first retained chunk.
    fn start(&mut self, view: &SocketView, rule: &FramingRule) {
        *self = MessageList {
            key: Some((view.id, rule.clone())),
            cleared: view.counters.cleared_chunks,
            ..MessageList::default()
        };
        match Framer::new(rule.clone(), DEFAULT_CAP) {
            Ok(framer) => self.framer = Some(framer),
            Err(error) => self.error = Some(error),
        }
    }

    /// A new framer: what comes next is taken to begin a message.
    fn new_framer(&mut self) {
        self.framer = self
            .key
            .as_ref()
            .and_then(|(_, rule)| Framer::new(rule.clone(), DEFAULT_CAP).ok());
        self.starts.clear();
        self.next_at = 0;
        self.stopped_by = None;
    }

    /// Ends the current framer's stream: what it skipped is listed; the bytes of a message
    /// it was collecting are counted and returned.
    fn close_framer(&mut self) -> usize {
        let frame = self.framer.as_mut().and_then(Framer::end_of_stream);
        match frame {
            Some(Frame::Incomplete { len, .. }) => len,
            Some(frame) => {
                self.add(frame);
                0
            }
            None => 0,
        }
    }

    fn feed(&mut self, chunk: &Chunk, number: u64) {
        match chunk.kind {
            ChunkKind::Data => self.push(&chunk.data, number),
            ChunkKind::Eof => {
                if let Some(frame) = self.framer.as_mut().and_then(Framer::end_of_stream) {
                    self.add(frame);
                }
                self.starts.clear();
                self.next_at = self.framer.as_ref().map_or(0, Framer::stream_offset);
            }
            // A sample with every byte of its period is the stream as it came.
            ChunkKind::AutoSample { recv_bytes, .. } if chunk.data.len() as u64 == recv_bytes => {
                self.push(&chunk.data, number);
            }
            ChunkKind::AutoSample {
                recv_calls,
                recv_bytes,
            } => {
                let unfinished = self.close_framer();
                self.push_entry(
                    What::Sampled {
                        chunk: number,
                        calls: recv_calls,
                        bytes: recv_bytes,
                        unfinished,
                    },
                    None,
                );
                self.new_framer();
            }
        }
    }

    fn push(&mut self, data: &[u8], number: u64) {
        let Some(framer) = self.framer.as_mut() else {
            return;
        };
        if data.is_empty() {
            return;
        }
        // A stopped framer only counts bytes: no frame begins in what it is given.
        if !framer.is_stopped() {
            self.starts.push_back((framer.stream_offset(), number));
            if self.starts.len() > MAX_STARTS {
                self.starts.pop_front();
            }
        }
        let mut frames = Vec::new();
        framer.push_into(data, &mut frames);
        // More than the list keeps (a flood of tiny messages in one recv): the first are only
        // counted, never laid out.
        let skip = frames.len().saturating_sub(MAX_ENTRIES);
        for (index, frame) in frames.into_iter().enumerate() {
            if index < skip {
                self.note(&frame);
                self.dropped += 1;
            } else {
                self.add(frame);
            }
        }
        while self
            .starts
            .get(1)
            .is_some_and(|(offset, _)| *offset <= self.next_at)
        {
            self.starts.pop_front();
        }
    }

    /// `count` chunks went unsplit; splitting starts again at chunk `next`.
    fn gap(&mut self, count: u64, next: u64) {
        let unfinished = self.close_framer();
        self.push_entry(
            What::Gap {
                count,
                next,
                unfinished,
            },
            None,
        );
        self.new_framer();
    }

    /// After a wrong length: split again from the next chunk, taking it to begin a message.
    pub(super) fn restart(&mut self) {
        if self.framer.is_none() {
            return;
        }
        self.close_framer();
        self.push_entry(
            What::Restarted {
                chunk: self.fed + 1,
            },
            None,
        );
        self.new_framer();
    }

    /// Where stream offset `at` of the current framer is: (chunk number, byte in it).
    fn position(&self, at: u64) -> Option<(u64, u64)> {
        let index = self
            .starts
            .partition_point(|(offset, _)| *offset <= at)
            .checked_sub(1)?;
        let (offset, number) = self.starts.get(index)?;
        Some((*number, at - offset))
    }

    /// Takes note of a frame: where the next begins, a message's number, a stopping length.
    fn note(&mut self, frame: &Frame) {
        self.next_at = frame.at() + frame.span();
        match frame {
            Frame::Message { .. } => self.messages += 1,
            Frame::Broken { problem, .. } if problem.stops_framing() => {
                self.stopped_by = Some(*problem);
            }
            _ => {}
        }
    }

    /// A frame found: listed (a message with its first bytes).
    fn add(&mut self, frame: Frame) {
        let at = self.position(frame.at());
        self.note(&frame);
        let what = match frame {
            Frame::Message {
                mut payload,
                chunks,
                ..
            } => {
                let size = payload.len();
                payload.truncate(SHOWN_BYTES);
                payload.shrink_to_fit();
                What::Message {
                    number: self.messages,
                    size,
                    recvs: chunks,
                    shown: payload,
                }
            }
            other => What::Problem(other),
        };
        self.push_entry(what, at);
    }

    fn push_entry(&mut self, what: What, at: Option<(u64, u64)>) {
        let rows = self.rows_of(&what);
        self.held += what.held();
        let first_row = self.next_row;
        self.next_row += 1 + rows.len() as u64;
        self.entries.push_back(Entry {
            what,
            at,
            rows,
            first_row,
        });
        while self.entries.len() > MAX_ENTRIES || self.held > MAX_HELD_BYTES {
            let Some(old) = self.entries.pop_front() else {
                break;
            };
            self.held -= old.what.held();
            self.dropped += 1;
        }
    }

    fn rows_of(&self, what: &What) -> Vec<(u32, u32)> {
        match (what, self.layout) {
            (What::Message { shown, .. }, Some(layout)) => content_ranges(shown, layout)
                .into_iter()
                // Within SHOWN_BYTES.
                .map(|(start, end)| (start as u32, end as u32))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The rows again for another display mode or encoding.
    fn relayout(&mut self, layout: Layout) {
        self.layout = Some(layout);
        let mut entries = std::mem::take(&mut self.entries);
        self.next_row = 0;
        for entry in &mut entries {
            entry.rows = self.rows_of(&entry.what);
            entry.first_row = self.next_row;
            self.next_row += 1 + entry.rows.len() as u64;
        }
        self.entries = entries;
    }

    fn first_row(&self) -> u64 {
        self.entries
            .front()
            .map_or(self.next_row, |entry| entry.first_row)
    }

    fn total_rows(&self) -> u64 {
        self.next_row - self.first_row()
    }

    /// Row `row` (0 = the first shown): its entry, and its byte range (None: the header).
    fn locate(&self, row: u64) -> Option<(&Entry, Option<(usize, usize)>)> {
        let absolute = self.first_row() + row;
        let index = self
            .entries
            .partition_point(|entry| entry.first_row <= absolute)
            .checked_sub(1)?;
        let entry = self.entries.get(index)?;
        match absolute - entry.first_row {
            0 => Some((entry, None)),
            within => {
                let (start, end) = *entry.rows.get(usize::try_from(within - 1).ok()?)?;
                Some((entry, Some((start as usize, end as usize))))
            }
        }
    }

    /// Whole messages found since the rule was chosen (dropped ones included).
    #[cfg(test)]
    pub(super) fn message_count(&self) -> u64 {
        self.messages
    }

    /// Entries dropped at the front to keep the list bounded.
    #[cfg(test)]
    pub(super) fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Whether a wrong length stopped the splitting.
    pub(super) fn is_stopped(&self) -> bool {
        self.framer.as_ref().is_some_and(Framer::is_stopped)
    }

    /// Each entry kept, as its header reads in `lang` (for tests).
    #[cfg(test)]
    pub(super) fn headers(&self, lang: Lang) -> Vec<String> {
        self.entries
            .iter()
            .map(|entry| {
                entry_pieces(entry, lang)
                    .into_iter()
                    .map(|(text, _)| text)
                    .collect()
            })
            .collect()
    }

    /// The shown bytes of each message kept.
    #[cfg(test)]
    pub(super) fn payloads(&self) -> Vec<&[u8]> {
        self.entries
            .iter()
            .filter_map(|entry| match &entry.what {
                What::Message { shown, .. } => Some(shown.as_slice()),
                _ => None,
            })
            .collect()
    }

    /// The heading (how many, by which rule, what is not shown, Split again) and the
    /// messages' rows, in the rest of `ui`.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, rule: &FramingRule) {
        let lang = crate::ui::lang(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            ui.strong(t!(
                lang,
                "received-framing-count",
                count = self.messages,
                rule = rule.describe(lang)
            ));
            if self.dropped > 0 {
                ui.colored_label(
                    theme::warn_color(ui.visuals()),
                    t!(lang, "received-framing-earlier", count = self.dropped),
                );
            }
            if self.is_stopped()
                && ui
                    .button(t!(lang, "received-framing-restart"))
                    .on_hover_text(t!(lang, "received-framing-restart-tip"))
                    .clicked()
            {
                self.restart();
            }
        });
        // Why splitting stopped, in full (its row may be wider than the view).
        if let Some(problem) = self.stopped_by.filter(|_| self.is_stopped()) {
            ui.colored_label(theme::error_color(ui.visuals()), problem.text(lang));
        }
        if let Some(error) = &self.error {
            ui.colored_label(
                theme::error_color(ui.visuals()),
                t!(lang, "received-framing-unusable", error = error.text(lang)),
            );
            return;
        }
        if self.entries.is_empty() {
            ui.weak(t!(lang, "received-framing-none-yet"));
            return;
        }
        self.rows_ui(ui, lang);
    }

    fn rows_ui(&self, ui: &mut egui::Ui, lang: Lang) {
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font));
        let visuals = ui.visuals();
        let style = RowStyle {
            font,
            row_height,
            text: visuals.text_color(),
            weak: visuals.weak_text_color(),
            warn: theme::warn_color(visuals),
            strong: visuals.strong_text_color(),
        };
        let error = theme::error_color(visuals);
        let layout = self.layout.unwrap_or(Layout::Hex);
        let total = usize::try_from(self.total_rows()).unwrap_or(usize::MAX);
        egui::ScrollArea::both()
            .id_salt("received_messages")
            .auto_shrink([false, false])
            .stick_to_bottom(true)
            .show_rows(ui, row_height, total, |ui, rows| {
                for row in rows {
                    let Some((entry, part)) = self.locate(row as u64) else {
                        continue;
                    };
                    let job = match (part, &entry.what) {
                        (Some((start, end)), What::Message { shown, .. }) => {
                            content_job(shown, start, end, layout, &[], &style)
                        }
                        _ => header_job(entry, lang, &style, error),
                    };
                    ui.add(egui::Label::new(job).extend());
                }
            });
    }
}

/// An entry's header as pieces of text (in `lang`): number, where it began, what it is.
fn entry_pieces(entry: &Entry, lang: Lang) -> Vec<(String, Tone)> {
    let mut pieces = Vec::new();
    let after = |pieces: &Vec<(String, Tone)>, text: String| {
        if pieces.is_empty() {
            text
        } else {
            format!("{HEADER_SEPARATOR}{text}")
        }
    };
    if let What::Message { number, .. } = &entry.what {
        pieces.push((format!("{number}"), Tone::Strong));
    }
    if let Some((chunk, offset)) = entry.at {
        let text = t!(lang, "received-framing-at", chunk = chunk, offset = offset);
        pieces.push((after(&pieces, text), Tone::Weak));
    }
    let (text, tone) = match &entry.what {
        What::Message {
            size, recvs, shown, ..
        } => {
            let summary = t!(lang, "framing-message", size = *size, chunks = *recvs);
            pieces.push((after(&pieces, summary), Tone::Plain));
            if shown.len() < *size {
                let text = t!(lang, "received-framing-shown-first", count = shown.len());
                pieces.push((after(&pieces, text), Tone::Weak));
            }
            return pieces;
        }
        What::Problem(frame @ Frame::Incomplete { .. }) => (frame.summary(lang), Tone::Warn),
        What::Problem(frame) => (frame.summary(lang), Tone::Error),
        What::Gap {
            count,
            next,
            unfinished,
        } => {
            let mut text = t!(lang, "received-framing-gap", count = *count, next = *next);
            text.push_str(&unfinished_text(*unfinished, lang));
            (text, Tone::Error)
        }
        What::Sampled {
            chunk,
            calls,
            bytes,
            unfinished,
        } => {
            let mut text = t!(
                lang,
                "received-framing-sampled",
                chunk = *chunk,
                calls = *calls,
                bytes = bytes_text(*bytes)
            );
            text.push_str(&unfinished_text(*unfinished, lang));
            (text, Tone::Error)
        }
        What::Restarted { chunk } => (
            t!(lang, "received-framing-restarted", chunk = *chunk),
            Tone::Weak,
        ),
    };
    pieces.push((after(&pieces, text), tone));
    pieces
}

/// "; 3 bytes of an unfinished message went with them" (nothing for none).
fn unfinished_text(size: usize, lang: Lang) -> String {
    if size == 0 {
        return String::new();
    }
    t!(lang, "received-framing-unfinished", size = size)
}

fn header_job(entry: &Entry, lang: Lang, style: &RowStyle, error: egui::Color32) -> LayoutJob {
    let mut job = LayoutJob::default();
    for (text, tone) in entry_pieces(entry, lang) {
        let color = match tone {
            Tone::Plain => style.text,
            Tone::Strong => style.strong,
            Tone::Weak => style.weak,
            Tone::Warn => style.warn,
            Tone::Error => error,
        };
        job.append(&text, 0.0, style.format(color));
    }
    job
}

/// The two parts of a received view split into messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Messages,
    Chunks,
}

/// The messages beside the raw chunks when `ui` is wide enough, else above them; `draw`
/// draws each part.
pub(super) fn beside_or_above(ui: &mut egui::Ui, mut draw: impl FnMut(&mut egui::Ui, Part)) {
    let lang = crate::ui::lang(ui.ctx());
    let chunks_heading = |ui: &mut egui::Ui| {
        ui.strong(t!(lang, "received-framing-chunks"));
    };
    if ui.available_width() >= 2.0 * MIN_SIDE_WIDTH {
        ui.columns(2, |columns| {
            if let [left, right] = columns {
                draw(left, Part::Messages);
                chunks_heading(right);
                draw(right, Part::Chunks);
            }
        });
        return;
    }
    // Half each, after the line between them and the chunks' heading.
    let width = ui.available_width();
    let between = 2.0 * ui.spacing().interact_size.y;
    let height = ((ui.available_height() - between) * 0.5).max(48.0);
    ui.allocate_ui(egui::vec2(width, height), |ui| {
        ui.set_min_height(height);
        draw(ui, Part::Messages);
    });
    ui.separator();
    chunks_heading(ui);
    draw(ui, Part::Chunks);
}
