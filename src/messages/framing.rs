//! Splits a byte stream into the messages it carries, by a framing rule: a line, a delimiter,
//! a fixed size or a length prefix (PRODUCT part 15).
//!
//! TCP keeps no message boundaries: three sends may arrive in one recv (黏包) and one message
//! may take two recvs. A [`Framer`] is fed each recv chunk as it came and hands back the whole
//! messages, so the received view can show both the chunks and the messages.
//!
//! The bytes come from a peer and are hostile until proven otherwise: a framer never holds
//! more than its cap plus [`MAX_OVERHEAD`] bytes, never loops, never panics, and a stream that
//! breaks the rule is reported ([`Frame::Broken`]) rather than waited on. Every byte pushed is
//! accounted for by exactly one frame: the frames' spans ([`Frame::at`], [`Frame::span`])
//! tile the stream.

use super::ByteOrder;
use crate::codec::{self, InputError, TextEncoding};
use crate::i18n::Lang;
use crate::t;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest delimiter, in bytes.
pub const MAX_DELIMITER: usize = 16;

/// The most a framer holds beyond its cap: the start of a delimiter that may yet complete
/// (up to 15 bytes), a line's `\r`, or a length prefix (up to 4).
pub const MAX_OVERHEAD: usize = MAX_DELIMITER - 1;

/// A cap that suits the received view: the longest message kept.
pub const DEFAULT_CAP: usize = 1 << 20;

/// Where one message ends and the next begins.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FramingRule {
    /// Ends at `\n`; a `\r` just before it is part of the ending.
    Line,
    /// Ends at these bytes (1 to [`MAX_DELIMITER`]).
    Delimiter(Vec<u8>),
    /// Every message is this many bytes (1 to the cap).
    FixedSize(usize),
    /// A length, then that many bytes.
    LengthPrefix(LengthPrefix),
}

/// How many bytes a length prefix takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrefixWidth {
    One,
    Two,
    #[default]
    Four,
}

impl PrefixWidth {
    pub const ALL: [PrefixWidth; 3] = [PrefixWidth::One, PrefixWidth::Two, PrefixWidth::Four];

    pub fn bytes(self) -> usize {
        match self {
            PrefixWidth::One => 1,
            PrefixWidth::Two => 2,
            PrefixWidth::Four => 4,
        }
    }

    /// The largest length the prefix can say.
    pub fn max_length(self) -> u64 {
        match self {
            PrefixWidth::One => u64::from(u8::MAX),
            PrefixWidth::Two => u64::from(u16::MAX),
            PrefixWidth::Four => u64::from(u32::MAX),
        }
    }
}

/// A length prefix: its width, its byte order, and whether the length counts the prefix's own
/// bytes as well as the payload's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LengthPrefix {
    pub width: PrefixWidth,
    pub order: ByteOrder,
    pub counts_itself: bool,
}

impl LengthPrefix {
    /// The longest payload the prefix can announce.
    pub fn max_payload(&self) -> u64 {
        self.width.max_length() - self.own_length()
    }

    /// What the prefix adds to the length it says: its own width when it counts itself.
    fn own_length(&self) -> u64 {
        if self.counts_itself {
            self.width.bytes() as u64
        } else {
            0
        }
    }

    /// The length in `bytes` (exactly `width` of them).
    fn read(&self, bytes: &[u8]) -> u64 {
        let fold = |acc: u64, byte: &u8| (acc << 8) | u64::from(*byte);
        match self.order {
            ByteOrder::Big => bytes.iter().fold(0, fold),
            ByteOrder::Little => bytes.iter().rev().fold(0, fold),
        }
    }

    /// `length` as the prefix's bytes (the caller made sure it fits the width).
    fn write(&self, length: u64) -> Vec<u8> {
        let big = length.to_be_bytes();
        let mut bytes = big[big.len() - self.width.bytes()..].to_vec();
        if self.order == ByteOrder::Little {
            bytes.reverse();
        }
        bytes
    }
}

/// Why a rule (or a payload for a prefix) cannot be used. Worded by [`FramingError::text`];
/// its Display is English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FramingError {
    EmptyDelimiter,
    DelimiterTooLong {
        len: usize,
    },
    /// The delimiter as typed is not valid escaped text.
    DelimiterInput(InputError),
    FixedSizeZero,
    FixedSizeOverCap {
        size: usize,
        cap: usize,
    },
    /// [`add_prefix`]: the payload is longer than the prefix can say.
    PayloadTooLong {
        len: usize,
        max: u64,
        width: PrefixWidth,
    },
}

impl FramingError {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FramingError::EmptyDelimiter => t!(lang, "framing-error-empty-delimiter"),
            FramingError::DelimiterTooLong { len } => t!(
                lang,
                "framing-error-delimiter-too-long",
                size = *len,
                max = MAX_DELIMITER
            ),
            FramingError::DelimiterInput(error) => error.text(lang),
            FramingError::FixedSizeZero => t!(lang, "framing-error-fixed-size-zero"),
            FramingError::FixedSizeOverCap { size, cap } => t!(
                lang,
                "framing-error-fixed-size-over-cap",
                size = *size,
                cap = *cap
            ),
            FramingError::PayloadTooLong { len, max, width } => t!(
                lang,
                "framing-error-payload-too-long",
                width = width.bytes(),
                max = *max,
                size = *len
            ),
        }
    }
}

impl fmt::Display for FramingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for FramingError {}

impl FramingRule {
    /// A delimiter as a person types it: escaped text (`\r\n`, `|`, `\x00`) in `encoding`.
    pub fn delimiter_from_text(
        text: &str,
        encoding: TextEncoding,
    ) -> Result<FramingRule, FramingError> {
        let bytes = codec::parse_escaped(text, encoding).map_err(FramingError::DelimiterInput)?;
        let rule = FramingRule::Delimiter(bytes);
        rule.validate(usize::MAX)?;
        Ok(rule)
    }

    /// "length prefix, 4 bytes, big-endian", in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            FramingRule::Line => t!(lang, "framing-rule-line"),
            FramingRule::Delimiter(delimiter) => t!(
                lang,
                "framing-rule-delimiter",
                delimiter = delimiter_text(delimiter)
            ),
            FramingRule::FixedSize(size) => t!(lang, "framing-rule-fixed", size = *size),
            FramingRule::LengthPrefix(prefix) => {
                // One byte has no order worth naming.
                let order = match (prefix.width, prefix.order) {
                    (PrefixWidth::One, _) => "none",
                    (_, ByteOrder::Big) => "big",
                    (_, ByteOrder::Little) => "little",
                };
                let itself = if prefix.counts_itself { "yes" } else { "no" };
                t!(
                    lang,
                    "framing-rule-prefix",
                    width = prefix.width.bytes(),
                    order = order,
                    itself = itself
                )
            }
        }
    }

    /// Whether a framer can follow this rule with messages of at most `cap` bytes.
    pub fn validate(&self, cap: usize) -> Result<(), FramingError> {
        match self {
            FramingRule::Line | FramingRule::LengthPrefix(_) => Ok(()),
            FramingRule::Delimiter(delimiter) if delimiter.is_empty() => {
                Err(FramingError::EmptyDelimiter)
            }
            FramingRule::Delimiter(delimiter) if delimiter.len() > MAX_DELIMITER => {
                Err(FramingError::DelimiterTooLong {
                    len: delimiter.len(),
                })
            }
            FramingRule::Delimiter(_) => Ok(()),
            FramingRule::FixedSize(0) => Err(FramingError::FixedSizeZero),
            FramingRule::FixedSize(size) if *size > cap => {
                Err(FramingError::FixedSizeOverCap { size: *size, cap })
            }
            FramingRule::FixedSize(_) => Ok(()),
        }
    }

    /// The most a framer with this rule holds beyond its cap.
    pub fn overhead(&self) -> usize {
        match self {
            FramingRule::Line => 1,
            FramingRule::Delimiter(delimiter) => delimiter.len().saturating_sub(1),
            FramingRule::FixedSize(_) => 0,
            FramingRule::LengthPrefix(prefix) => prefix.width.bytes(),
        }
    }

    /// The ending a line or a delimited message ends with.
    fn ending(&self) -> Option<&[u8]> {
        match self {
            FramingRule::Line => Some(b"\n".as_slice()),
            FramingRule::Delimiter(delimiter) => Some(delimiter.as_slice()),
            FramingRule::FixedSize(_) | FramingRule::LengthPrefix(_) => None,
        }
    }
}

/// A delimiter shown as escaped text (`\r\n`); a space as `\x20`, so it can be seen.
pub fn delimiter_text(delimiter: &[u8]) -> String {
    codec::display_text(delimiter, TextEncoding::Utf8, false).replace(' ', "\\x20")
}

/// How a stream broke its framing rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokenProblem {
    /// No line ending within the cap: skipped up to the next one.
    LineTooLong { cap: usize },
    /// No delimiter within the cap: skipped up to the next one.
    DelimitedTooLong { cap: usize },
    /// The prefix announced a payload longer than the cap: framing stopped.
    LengthOverCap { length: u64, cap: usize },
    /// A prefix that counts itself said less than its own width: framing stopped.
    LengthShorterThanPrefix { length: u64, width: PrefixWidth },
}

impl BrokenProblem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            BrokenProblem::LineTooLong { cap } => t!(lang, "framing-line-too-long", cap = *cap),
            BrokenProblem::DelimitedTooLong { cap } => {
                t!(lang, "framing-delimited-too-long", cap = *cap)
            }
            BrokenProblem::LengthOverCap { length, cap } => t!(
                lang,
                "framing-length-over-cap",
                length = *length,
                cap = *cap
            ),
            BrokenProblem::LengthShorterThanPrefix { length, width } => t!(
                lang,
                "framing-length-shorter-than-prefix",
                length = *length,
                width = width.bytes()
            ),
        }
    }

    /// Whether framing goes on after it (a wrong length cannot be resynchronised).
    pub fn stops_framing(&self) -> bool {
        matches!(
            self,
            BrokenProblem::LengthOverCap { .. } | BrokenProblem::LengthShorterThanPrefix { .. }
        )
    }
}

/// What a framer found in the stream. `at` is a stream offset (bytes since the first push).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole message, starting at `at` (its prefix included). `payload` is without the line
    /// ending, delimiter or prefix, which take `framing_len` bytes (before the payload for a
    /// prefix, after it otherwise). `chunks`: how many pushes (recvs) carried its bytes.
    Message {
        at: u64,
        payload: Vec<u8>,
        framing_len: usize,
        chunks: u64,
    },
    /// The stream broke the rule at `at`; the `skipped` bytes from there were dropped. When the
    /// framer goes on skipping, a [`Frame::Skipped`] follows once it knows how far.
    Broken {
        at: u64,
        problem: BrokenProblem,
        skipped: u64,
    },
    /// Bytes dropped after a [`Frame::Broken`]: up to and including the ending where framing
    /// picked up again, or up to the end of the stream.
    Skipped { at: u64, len: u64 },
    /// At the end of the stream: bytes that never made a whole message.
    Incomplete { at: u64, len: usize },
}

impl Frame {
    /// Where it starts in the stream.
    pub fn at(&self) -> u64 {
        match self {
            Frame::Message { at, .. }
            | Frame::Broken { at, .. }
            | Frame::Skipped { at, .. }
            | Frame::Incomplete { at, .. } => *at,
        }
    }

    /// How many bytes of the stream it accounts for.
    pub fn span(&self) -> u64 {
        match self {
            Frame::Message {
                payload,
                framing_len,
                ..
            } => (payload.len() + framing_len) as u64,
            Frame::Broken { skipped, .. } => *skipped,
            Frame::Skipped { len, .. } => *len,
            Frame::Incomplete { len, .. } => *len as u64,
        }
    }

    /// One line for the received view: "message, 12 bytes, arrived in 2 recv chunks".
    pub fn summary(&self, lang: Lang) -> String {
        match self {
            Frame::Message {
                payload, chunks, ..
            } => t!(
                lang,
                "framing-message",
                size = payload.len(),
                chunks = *chunks
            ),
            Frame::Broken { problem, .. } => problem.text(lang),
            Frame::Skipped { len, .. } => t!(lang, "framing-skipped", size = *len),
            Frame::Incomplete { len, .. } => t!(lang, "framing-incomplete", size = *len),
        }
    }
}

/// What the framer is doing with the bytes it is given.
#[derive(Debug)]
enum Mode {
    Framing,
    /// Dropping bytes up to the next ending; `tail` keeps the last few seen, for an ending
    /// split across pushes.
    Skipping {
        len: u64,
        tail: Vec<u8>,
    },
    /// After a wrong length: counting bytes, keeping none.
    Stopped {
        len: u64,
    },
}

/// Splits one stream into messages, a push at a time. One per socket stream; after a length
/// that stops framing, make a new one to start again.
#[derive(Debug)]
pub struct Framer {
    rule: FramingRule,
    cap: usize,
    mode: Mode,
    /// The current message's bytes so far: its payload and, for a line or a delimiter, the
    /// start of an ending.
    buf: Vec<u8>,
    /// A length prefix being read, and the payload length once it is.
    prefix: [u8; 4],
    prefix_have: usize,
    payload_len: Option<usize>,
    /// Where the current message (or skip) starts, and the end of all bytes pushed.
    at: u64,
    offset: u64,
    /// Non-empty pushes so far, and the one that brought the current message's first byte.
    pushes: u64,
    first_push: u64,
}

impl Framer {
    /// A framer that keeps messages of at most `cap` bytes; an error when the rule cannot be
    /// followed (see [`FramingRule::validate`]).
    pub fn new(rule: FramingRule, cap: usize) -> Result<Framer, FramingError> {
        rule.validate(cap)?;
        Ok(Framer {
            rule,
            cap,
            mode: Mode::Framing,
            buf: Vec::new(),
            prefix: [0; 4],
            prefix_have: 0,
            payload_len: None,
            at: 0,
            offset: 0,
            pushes: 0,
            first_push: 0,
        })
    }

    pub fn rule(&self) -> &FramingRule {
        &self.rule
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// The bytes pushed so far.
    pub fn stream_offset(&self) -> u64 {
        self.offset
    }

    /// The bytes held now: at most the cap plus the rule's [`FramingRule::overhead`].
    pub fn buffered(&self) -> usize {
        match &self.mode {
            Mode::Framing => self.buf.len() + self.prefix_have,
            Mode::Skipping { tail, .. } => tail.len(),
            Mode::Stopped { .. } => 0,
        }
    }

    /// Whether a wrong length stopped framing (further pushes only count bytes).
    pub fn is_stopped(&self) -> bool {
        matches!(self.mode, Mode::Stopped { .. })
    }

    /// The frames that `data` (the next bytes of the stream) completes.
    pub fn push(&mut self, data: &[u8]) -> Vec<Frame> {
        let mut frames = Vec::new();
        self.push_into(data, &mut frames);
        frames
    }

    /// [`Framer::push`] into the caller's list.
    pub fn push_into(&mut self, mut data: &[u8], out: &mut Vec<Frame>) {
        if data.is_empty() {
            return;
        }
        self.offset += data.len() as u64;
        self.pushes += 1;
        while !data.is_empty() {
            let used = match self.mode {
                Mode::Framing => {
                    if self.buf.is_empty() && self.prefix_have == 0 {
                        self.first_push = self.pushes;
                    }
                    self.frame_step(data, out)
                }
                Mode::Skipping { .. } => self.skip_step(data, out),
                Mode::Stopped { ref mut len } => {
                    *len += data.len() as u64;
                    data.len()
                }
            };
            // Every step takes at least one byte, so this ends.
            data = data.get(used.max(1)..).unwrap_or_default();
        }
    }

    /// The stream ended: what is left, if anything. The framer is then empty (still stopped
    /// if it was).
    pub fn end_of_stream(&mut self) -> Option<Frame> {
        let frame = match &mut self.mode {
            Mode::Framing => {
                let len = self.buf.len() + self.prefix_have;
                self.buf = Vec::new();
                self.prefix_have = 0;
                self.payload_len = None;
                (len > 0).then_some(Frame::Incomplete { at: self.at, len })
            }
            Mode::Skipping { len, .. } | Mode::Stopped { len } => {
                let len = std::mem::take(len);
                (len > 0).then_some(Frame::Skipped { at: self.at, len })
            }
        };
        if let Mode::Skipping { .. } = self.mode {
            self.mode = Mode::Framing;
        }
        self.at = self.offset;
        frame
    }

    /// One step while framing: takes some of `data` (at least one byte), returns how much.
    fn frame_step(&mut self, data: &[u8], out: &mut Vec<Frame>) -> usize {
        match &self.rule {
            FramingRule::FixedSize(size) => {
                let size = *size;
                self.payload_step(size, 0, data, out)
            }
            FramingRule::LengthPrefix(prefix) => {
                let prefix = *prefix;
                match self.payload_len {
                    Some(len) => self.payload_step(len, prefix.width.bytes(), data, out),
                    None => self.prefix_step(prefix, data, out),
                }
            }
            FramingRule::Line | FramingRule::Delimiter(_) => self.ending_step(data, out),
        }
    }

    /// Reads (part of) a length prefix.
    fn prefix_step(&mut self, prefix: LengthPrefix, data: &[u8], out: &mut Vec<Frame>) -> usize {
        let width = prefix.width.bytes();
        let take = (width - self.prefix_have).min(data.len());
        self.prefix[self.prefix_have..self.prefix_have + take].copy_from_slice(&data[..take]);
        self.prefix_have += take;
        if self.prefix_have < width {
            return take;
        }
        let length = prefix.read(&self.prefix[..width]);
        let problem = match length.checked_sub(prefix.own_length()) {
            None => Some(BrokenProblem::LengthShorterThanPrefix {
                length,
                width: prefix.width,
            }),
            Some(payload) if payload > self.cap as u64 => Some(BrokenProblem::LengthOverCap {
                length,
                cap: self.cap,
            }),
            Some(payload) => {
                // Within the cap, so within usize.
                self.payload_len = Some(payload as usize);
                None
            }
        };
        match problem {
            Some(problem) => {
                out.push(Frame::Broken {
                    at: self.at,
                    problem,
                    skipped: width as u64,
                });
                self.at += width as u64;
                self.prefix_have = 0;
                self.mode = Mode::Stopped { len: 0 };
            }
            // An empty payload is a message of its own, complete with its prefix.
            None if self.payload_len == Some(0) => self.finish(Vec::new(), width, out),
            None => {}
        }
        take
    }

    /// Collects (part of) a payload of `len` bytes after `framing_len` bytes of prefix.
    fn payload_step(
        &mut self,
        len: usize,
        framing_len: usize,
        data: &[u8],
        out: &mut Vec<Frame>,
    ) -> usize {
        let take = (len - self.buf.len()).min(data.len());
        if self.buf.is_empty() && take == len {
            // The whole payload in this push: one copy, no buffering.
            self.finish(data[..take].to_vec(), framing_len, out);
            return take;
        }
        grow(&mut self.buf, take, len);
        self.buf.extend_from_slice(&data[..take]);
        if self.buf.len() == len {
            let payload = std::mem::take(&mut self.buf);
            self.finish(payload, framing_len, out);
        }
        take
    }

    /// Looks for a line ending or a delimiter in the bytes held and `data`.
    fn ending_step(&mut self, data: &[u8], out: &mut Vec<Frame>) -> usize {
        let Some(ending) = self.rule.ending() else {
            return data.len();
        };
        let ending_len = ending.len();
        let is_line = self.rule == FramingRule::Line;
        let held = self.buf.len();
        let Some(end) = find_ending(&self.buf, data, ending) else {
            let limit = self.cap.saturating_add(self.rule.overhead());
            if held + data.len() <= limit {
                grow(&mut self.buf, data.len(), limit);
                self.buf.extend_from_slice(data);
            } else {
                self.start_skipping(data, ending_len - 1, out);
            }
            return data.len();
        };
        // The message is the held bytes and data[..end]; its ending is the last bytes of that.
        let total = held + end;
        let mut payload_len = total - ending_len;
        let byte_at = |index: usize| match index.checked_sub(held) {
            None => self.buf.get(index).copied(),
            Some(in_data) => data.get(in_data).copied(),
        };
        if is_line && payload_len > 0 && byte_at(payload_len - 1) == Some(b'\r') {
            payload_len -= 1;
        }
        if payload_len > self.cap {
            // Too long, yet its ending came in this push: nothing to skip beyond it.
            out.push(Frame::Broken {
                at: self.at,
                problem: self.too_long(),
                skipped: total as u64,
            });
            self.at += total as u64;
            self.buf = Vec::new();
            return end;
        }
        let payload = if held == 0 {
            data[..payload_len].to_vec()
        } else {
            let mut payload = std::mem::take(&mut self.buf);
            if payload_len <= held {
                payload.truncate(payload_len);
            } else {
                payload.extend_from_slice(&data[..payload_len - held]);
            }
            payload
        };
        self.finish(payload, total - payload_len, out);
        end
    }

    /// A line or delimited message went over the cap with no ending in sight: report it, drop
    /// it, and keep only the last `keep` bytes, which may begin the ending.
    fn start_skipping(&mut self, data: &[u8], keep: usize, out: &mut Vec<Frame>) {
        let consumed = self.buf.len() + data.len();
        let tail = last_bytes(&self.buf, data, keep);
        out.push(Frame::Broken {
            at: self.at,
            problem: self.too_long(),
            skipped: consumed as u64,
        });
        self.at += consumed as u64;
        self.buf = Vec::new();
        self.mode = Mode::Skipping { len: 0, tail };
    }

    /// Skipping: drops bytes until an ending, then frames again after it.
    fn skip_step(&mut self, data: &[u8], out: &mut Vec<Frame>) -> usize {
        let Some(ending) = self.rule.ending() else {
            return data.len();
        };
        let keep = ending.len() - 1;
        let Mode::Skipping { len, tail } = &mut self.mode else {
            return data.len();
        };
        match find_ending(tail, data, ending) {
            Some(end) => {
                let len = *len + end as u64;
                out.push(Frame::Skipped { at: self.at, len });
                self.at += len;
                self.mode = Mode::Framing;
                end
            }
            None => {
                *len += data.len() as u64;
                *tail = last_bytes(tail, data, keep);
                data.len()
            }
        }
    }

    fn too_long(&self) -> BrokenProblem {
        match self.rule {
            FramingRule::Line => BrokenProblem::LineTooLong { cap: self.cap },
            _ => BrokenProblem::DelimitedTooLong { cap: self.cap },
        }
    }

    /// A message is complete: hand it out and start the next one after it.
    fn finish(&mut self, payload: Vec<u8>, framing_len: usize, out: &mut Vec<Frame>) {
        let span = (payload.len() + framing_len) as u64;
        out.push(Frame::Message {
            at: self.at,
            payload,
            framing_len,
            chunks: self.pushes - self.first_push + 1,
        });
        self.at += span;
        self.prefix_have = 0;
        self.payload_len = None;
    }
}

/// Makes room for `extra` more bytes in `buf`, doubling as usual but never past `limit`, so a
/// framer's memory stays near its cap.
fn grow(buf: &mut Vec<u8>, extra: usize, limit: usize) {
    let needed = buf.len() + extra;
    if needed > buf.capacity() {
        let target = needed
            .max(buf.capacity().saturating_mul(2))
            .min(limit)
            .max(needed);
        buf.reserve_exact(target - buf.len());
    }
}

/// The last `keep` bytes of `before` followed by `data`.
fn last_bytes(before: &[u8], data: &[u8], keep: usize) -> Vec<u8> {
    if data.len() >= keep {
        return data[data.len() - keep..].to_vec();
    }
    let from_before = (keep - data.len()).min(before.len());
    let mut tail = before[before.len() - from_before..].to_vec();
    tail.extend_from_slice(data);
    tail
}

/// Where the first `ending` in `held` followed by `data` ends, as an index into `data`
/// (exclusive); None when there is none yet. `held` is known to hold no whole ending, so
/// only its last `ending.len() - 1` bytes can begin one.
fn find_ending(held: &[u8], data: &[u8], ending: &[u8]) -> Option<usize> {
    let (&first, rest) = ending.split_first()?;
    let straddling = rest.len().min(held.len());
    for start in held.len() - straddling..held.len() {
        let in_held = &held[start..];
        let in_data = &ending[in_held.len()..];
        if ending.starts_with(in_held) && data.starts_with(in_data) {
            return Some(in_data.len());
        }
    }
    let mut from = 0;
    while let Some(found) = data.get(from..)?.iter().position(|byte| *byte == first) {
        let start = from + found;
        if data.get(start + 1..)?.starts_with(rest) {
            return Some(start + ending.len());
        }
        from = start + 1;
    }
    None
}

/// The prefix the composer adds: `payload` becomes prefix + payload; an error when the
/// payload is longer than the prefix can say.
pub fn add_prefix(prefix: &LengthPrefix, payload: &[u8]) -> Result<Vec<u8>, FramingError> {
    let length = (payload.len() as u64)
        .checked_add(prefix.own_length())
        .filter(|length| *length <= prefix.width.max_length())
        .ok_or(FramingError::PayloadTooLong {
            len: payload.len(),
            max: prefix.max_payload(),
            width: prefix.width,
        })?;
    let mut framed = prefix.write(length);
    framed.extend_from_slice(payload);
    Ok(framed)
}

/// Checks one framer's promises over one stream pushed in the given chunk sizes: the frames
/// tile the stream, nothing is held beyond the cap and overhead, the offset counts every byte,
/// and a stopped framer stays silent. Panics when a promise is broken (what a fuzzer looks
/// for); returns the frames.
fn check_framer(mut framer: Framer, stream: &[u8], sizes: &[usize]) -> Vec<Frame> {
    let limit = framer.cap().saturating_add(framer.rule().overhead());
    let mut frames = Vec::new();
    let mut pos = 0;
    let mut size_index = 0;
    while pos < stream.len() {
        let size = sizes
            .get(size_index % sizes.len().max(1))
            .copied()
            .unwrap_or(1);
        let end = (pos + size.max(1)).min(stream.len());
        size_index += 1;
        let stopped = framer.is_stopped();
        let before = frames.len();
        framer.push_into(&stream[pos..end], &mut frames);
        assert!(!stopped || frames.len() == before, "a stopped framer spoke");
        assert!(
            framer.buffered() <= limit,
            "held {} > {limit}",
            framer.buffered()
        );
        pos = end;
        assert_eq!(framer.stream_offset(), pos as u64);
    }
    frames.extend(framer.end_of_stream());
    assert_eq!(framer.buffered(), 0);
    let mut at = 0;
    for frame in &frames {
        assert_eq!(frame.at(), at, "frames do not tile the stream: {frame:?}");
        at += frame.span();
        if let Frame::Message { payload, .. } = frame {
            assert!(payload.len() <= framer.cap());
        }
    }
    assert_eq!(at, stream.len() as u64, "frames do not cover the stream");
    frames
}

/// Never panics, never loops, memory bounded: every rule over arbitrary bytes pushed in
/// arbitrary chunk sizes. The first four bytes choose the cap, a delimiter, a fixed size and
/// the chunk sizes; the rest is the stream.
pub fn fuzz_one(data: &[u8]) {
    let header = |index: usize| data.get(index).copied().unwrap_or(0);
    let cap = usize::from(header(0) % 64) + 1;
    let delimiter_len = usize::from(header(1) % 3) + 1;
    let delimiter = data
        .get(4..4 + delimiter_len)
        .unwrap_or(b"\r\n".as_slice())
        .to_vec();
    let fixed = usize::from(header(2)) % cap + 1;
    // A small generator for chunk sizes, so that one input tries many.
    let mut state = u32::from(header(3)) | 0x100;
    let sizes: Vec<usize> = (0..32)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state % (3 * cap as u32)) as usize + 1
        })
        .collect();
    let stream = data.get(4..).unwrap_or_default();
    let mut rules = vec![
        FramingRule::Line,
        FramingRule::Delimiter(delimiter),
        FramingRule::Delimiter(b"\r\n".to_vec()),
        FramingRule::FixedSize(fixed),
    ];
    for width in PrefixWidth::ALL {
        for order in [ByteOrder::Big, ByteOrder::Little] {
            for counts_itself in [false, true] {
                rules.push(FramingRule::LengthPrefix(LengthPrefix {
                    width,
                    order,
                    counts_itself,
                }));
            }
        }
    }
    for rule in rules {
        if let Ok(framer) = Framer::new(rule, cap) {
            check_framer(framer, stream, &sizes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn framer(rule: FramingRule, cap: usize) -> Framer {
        Framer::new(rule, cap).unwrap()
    }

    fn prefix(width: PrefixWidth, order: ByteOrder, counts_itself: bool) -> LengthPrefix {
        LengthPrefix {
            width,
            order,
            counts_itself,
        }
    }

    fn all_prefixes() -> Vec<LengthPrefix> {
        let mut all = Vec::new();
        for width in PrefixWidth::ALL {
            for order in [ByteOrder::Big, ByteOrder::Little] {
                for counts_itself in [false, true] {
                    all.push(prefix(width, order, counts_itself));
                }
            }
        }
        all
    }

    fn payloads(frames: &[Frame]) -> Vec<Vec<u8>> {
        frames
            .iter()
            .filter_map(|frame| match frame {
                Frame::Message { payload, .. } => Some(payload.clone()),
                _ => None,
            })
            .collect()
    }

    /// Runs the stream through `check_framer` (which checks the framer's promises).
    fn run(rule: FramingRule, cap: usize, stream: &[u8], sizes: &[usize]) -> Vec<Frame> {
        check_framer(framer(rule, cap), stream, sizes)
    }

    fn bytes(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|text| text.as_bytes().to_vec()).collect()
    }

    /// The stream a sender following `rule` makes of `messages`.
    fn encode(rule: &FramingRule, messages: &[Vec<u8>]) -> Vec<u8> {
        let mut stream = Vec::new();
        for message in messages {
            match rule {
                FramingRule::Line => {
                    stream.extend_from_slice(message);
                    stream.extend_from_slice(b"\r\n");
                }
                FramingRule::Delimiter(delimiter) => {
                    stream.extend_from_slice(message);
                    stream.extend_from_slice(delimiter);
                }
                FramingRule::FixedSize(_) => stream.extend_from_slice(message),
                FramingRule::LengthPrefix(prefix) => {
                    stream.extend(add_prefix(prefix, message).unwrap());
                }
            }
        }
        stream
    }

    #[test]
    fn lines_end_at_lf_or_crlf() {
        let frames = run(FramingRule::Line, 64, b"one\ntwo\r\n\nthree\r", &[100]);
        assert_eq!(
            frames,
            vec![
                Frame::Message {
                    at: 0,
                    payload: b"one".to_vec(),
                    framing_len: 1,
                    chunks: 1
                },
                Frame::Message {
                    at: 4,
                    payload: b"two".to_vec(),
                    framing_len: 2,
                    chunks: 1
                },
                Frame::Message {
                    at: 9,
                    payload: Vec::new(),
                    framing_len: 1,
                    chunks: 1
                },
                Frame::Incomplete { at: 10, len: 6 },
            ]
        );
        // A lone \r is part of the line, and \r\r\n keeps the first \r.
        let frames = run(FramingRule::Line, 64, b"a\rb\nc\r\r\n\r\n", &[1]);
        assert_eq!(payloads(&frames), bytes(&["a\rb", "c\r", ""]));
    }

    #[test]
    fn three_sends_one_recv() {
        let mut line = framer(FramingRule::Line, 64);
        let frames = line.push(b"hello\nworld\nagain\n");
        assert_eq!(payloads(&frames), bytes(&["hello", "world", "again"]));
        assert!(
            frames
                .iter()
                .all(|frame| matches!(frame, Frame::Message { chunks: 1, .. }))
        );
        let rule = FramingRule::LengthPrefix(LengthPrefix::default());
        let mut stream = Vec::new();
        for message in ["a", "bc", "def"] {
            stream.extend(add_prefix(&LengthPrefix::default(), message.as_bytes()).unwrap());
        }
        let frames = framer(rule, 64).push(&stream);
        assert_eq!(payloads(&frames), bytes(&["a", "bc", "def"]));
        assert_eq!(frames[2].at(), 5 + 6);
    }

    #[test]
    fn one_message_two_recvs() {
        let mut line = framer(FramingRule::Line, 64);
        assert!(line.push(b"hel").is_empty());
        assert_eq!(line.buffered(), 3);
        let frames = line.push(b"lo\r\nnext");
        assert_eq!(
            frames,
            vec![Frame::Message {
                at: 0,
                payload: b"hello".to_vec(),
                framing_len: 2,
                chunks: 2
            }]
        );
        assert_eq!(line.buffered(), 4);

        // A 4-byte prefix split in the middle, then one byte per push.
        let mut framer = framer(FramingRule::LengthPrefix(LengthPrefix::default()), 64);
        let stream = add_prefix(&LengthPrefix::default(), b"split").unwrap();
        assert!(framer.push(&stream[..2]).is_empty());
        assert!(framer.push(&stream[2..5]).is_empty());
        let frames = framer.push(&stream[5..]);
        assert_eq!(
            frames,
            vec![Frame::Message {
                at: 0,
                payload: b"split".to_vec(),
                framing_len: 4,
                chunks: 3
            }]
        );
        let mut one_by_one = Vec::new();
        for byte in &stream {
            one_by_one.extend(framer.push(std::slice::from_ref(byte)));
        }
        assert_eq!(
            one_by_one,
            vec![Frame::Message {
                at: 9,
                payload: b"split".to_vec(),
                framing_len: 4,
                chunks: 9
            }]
        );
    }

    #[test]
    fn delimiters_split_across_pushes() {
        let rule = FramingRule::Delimiter(b"|#|".to_vec());
        let stream = b"ab|#||#|c|#d|#|e|";
        for size in 1..=stream.len() {
            let frames = run(rule.clone(), 64, stream, &[size]);
            assert_eq!(payloads(&frames), bytes(&["ab", "", "c|#d"]), "{size}");
            assert_eq!(frames.last(), Some(&Frame::Incomplete { at: 15, len: 2 }));
        }
        // Overlapping starts: "aab" with "ab" ends after the second a.
        let frames = run(FramingRule::Delimiter(b"ab".to_vec()), 8, b"xaab", &[1]);
        assert_eq!(payloads(&frames), bytes(&["xa"]));
    }

    #[test]
    fn fixed_size_never_breaks() {
        let frames = run(FramingRule::FixedSize(3), 3, b"abcdefgh", &[2, 5]);
        assert_eq!(payloads(&frames), bytes(&["abc", "def"]));
        assert_eq!(frames.last(), Some(&Frame::Incomplete { at: 6, len: 2 }));
        let all = run(FramingRule::FixedSize(1), 1, &[0, 255, 10], &[3]);
        assert_eq!(payloads(&all), vec![vec![0], vec![255], vec![10]]);
    }

    #[test]
    fn prefixes_in_every_width_order_and_count() {
        for prefix in all_prefixes() {
            let rule = FramingRule::LengthPrefix(prefix);
            let messages = bytes(&["", "x", "hello, world"]);
            let stream = encode(&rule, &messages);
            for size in [1, 2, 3, 5, 100] {
                let frames = run(rule.clone(), 64, &stream, &[size]);
                assert_eq!(payloads(&frames), messages, "{prefix:?} {size}");
            }
        }
        // The bytes themselves, in both orders.
        let big = prefix(PrefixWidth::Two, ByteOrder::Big, false);
        let little = prefix(PrefixWidth::Two, ByteOrder::Little, true);
        assert_eq!(add_prefix(&big, b"abc").unwrap(), b"\x00\x03abc");
        assert_eq!(add_prefix(&little, b"abc").unwrap(), b"\x05\x00abc");
        let four = prefix(PrefixWidth::Four, ByteOrder::Little, false);
        assert_eq!(add_prefix(&four, b"a").unwrap(), b"\x01\x00\x00\x00a");
    }

    #[test]
    fn add_prefix_refuses_what_the_width_cannot_say() {
        let one = prefix(PrefixWidth::One, ByteOrder::Big, false);
        assert!(add_prefix(&one, &[7; 255]).is_ok());
        let error = add_prefix(&one, &[7; 256]).unwrap_err();
        assert_eq!(
            error,
            FramingError::PayloadTooLong {
                len: 256,
                max: 255,
                width: PrefixWidth::One
            }
        );
        let counting = prefix(PrefixWidth::One, ByteOrder::Big, true);
        assert!(add_prefix(&counting, &[7; 254]).is_ok());
        assert!(add_prefix(&counting, &[7; 255]).is_err());
        let two = prefix(PrefixWidth::Two, ByteOrder::Little, false);
        assert!(add_prefix(&two, &vec![0; 65_536]).is_err());
        assert!(error.text(Lang::En).contains("255"));
        assert!(error.text(Lang::Zh).contains("255"));
    }

    #[test]
    fn a_length_over_the_cap_stops_framing() {
        let rule = FramingRule::LengthPrefix(LengthPrefix::default());
        let mut framer = framer(rule, 1024);
        let mut stream = add_prefix(&LengthPrefix::default(), b"ok").unwrap();
        stream.extend_from_slice(&[0, 0, 4, 1]);
        stream.extend_from_slice(b"more");
        let frames = framer.push(&stream);
        let problem = BrokenProblem::LengthOverCap {
            length: 1025,
            cap: 1024,
        };
        assert_eq!(payloads(&frames), bytes(&["ok"]));
        assert_eq!(
            frames[1],
            Frame::Broken {
                at: 6,
                problem,
                skipped: 4
            }
        );
        assert!(framer.is_stopped() && problem.stops_framing());
        assert_eq!(framer.buffered(), 0);
        for _ in 0..100 {
            assert!(framer.push(&[0, 0, 0, 1, b'x']).is_empty());
            assert_eq!(framer.buffered(), 0);
        }
        assert_eq!(framer.stream_offset(), 14 + 500);
        assert_eq!(
            framer.end_of_stream(),
            Some(Frame::Skipped { at: 10, len: 504 })
        );
        assert!(problem.text(Lang::En).contains("framing stopped"));
        assert!(problem.text(Lang::Zh).contains("停止"));
    }

    #[test]
    fn a_length_shorter_than_its_prefix_stops_framing() {
        let counting = prefix(PrefixWidth::Two, ByteOrder::Big, true);
        let mut framer = framer(FramingRule::LengthPrefix(counting), 64);
        let frames = framer.push(&[0, 2, 0, 1, 9, 9]);
        assert_eq!(
            frames,
            vec![
                Frame::Message {
                    at: 0,
                    payload: Vec::new(),
                    framing_len: 2,
                    chunks: 1
                },
                Frame::Broken {
                    at: 2,
                    problem: BrokenProblem::LengthShorterThanPrefix {
                        length: 1,
                        width: PrefixWidth::Two
                    },
                    skipped: 2
                }
            ]
        );
        assert!(framer.is_stopped());
    }

    #[test]
    fn an_endless_line_keeps_memory_within_the_cap() {
        let cap = 1024;
        let mut framer = framer(FramingRule::Line, cap);
        let chunk = vec![b'x'; 64 * 1024];
        let mut frames = Vec::new();
        for _ in 0..160 {
            framer.push_into(&chunk, &mut frames);
            assert!(framer.buffered() <= cap);
        }
        assert_eq!(
            frames,
            vec![Frame::Broken {
                at: 0,
                problem: BrokenProblem::LineTooLong { cap },
                skipped: 64 * 1024
            }]
        );
        // The line ends at last; framing goes on after it.
        let frames = framer.push(b"tail\r\nnext\n");
        let skipped = 160 * 64 * 1024 - 64 * 1024 + 6;
        assert_eq!(
            frames,
            vec![
                Frame::Skipped {
                    at: 64 * 1024,
                    len: skipped
                },
                Frame::Message {
                    at: 160 * 64 * 1024 + 6,
                    payload: b"next".to_vec(),
                    framing_len: 1,
                    chunks: 1
                }
            ]
        );
    }

    #[test]
    fn a_long_line_is_reported_at_once_in_small_pushes() {
        let cap = 8;
        let mut framer = framer(FramingRule::Line, cap);
        let mut frames = Vec::new();
        for _ in 0..9 {
            framer.push_into(b"x", &mut frames);
        }
        assert!(frames.is_empty(), "9 bytes may still be 8 and a \\r");
        framer.push_into(b"x", &mut frames);
        assert!(matches!(frames[..], [Frame::Broken { skipped: 10, .. }]));
        // Exactly the cap, with \r\n, is a message.
        let frames = run(FramingRule::Line, cap, b"12345678\r\n123456789\n", &[1]);
        assert_eq!(payloads(&frames), bytes(&["12345678"]));
        assert!(matches!(frames[1], Frame::Broken { skipped: 10, .. }));
        // A delimiter split across the point of skipping is still found.
        let rule = FramingRule::Delimiter(b"END".to_vec());
        let frames = run(rule, 4, b"abcdefgEN", &[9]);
        assert!(matches!(frames[0], Frame::Broken { skipped: 9, .. }));
        let frames = run(
            FramingRule::Delimiter(b"END".to_vec()),
            4,
            b"abcdefgENDok",
            &[9, 1],
        );
        assert_eq!(frames[1], Frame::Skipped { at: 9, len: 1 });
        assert_eq!(frames[2], Frame::Incomplete { at: 10, len: 2 });
    }

    #[test]
    fn invalid_rules_are_refused() {
        let empty = FramingRule::Delimiter(Vec::new());
        assert_eq!(empty.validate(10), Err(FramingError::EmptyDelimiter));
        let long = FramingRule::Delimiter(vec![b'-'; 17]);
        assert!(Framer::new(long, 10).is_err());
        assert!(FramingRule::Delimiter(vec![b'-'; 16]).validate(1).is_ok());
        assert_eq!(
            FramingRule::FixedSize(0).validate(10),
            Err(FramingError::FixedSizeZero)
        );
        assert!(Framer::new(FramingRule::FixedSize(11), 10).is_err());
        assert_eq!(
            FramingRule::delimiter_from_text("\\r\\n", TextEncoding::Utf8),
            Ok(FramingRule::Delimiter(b"\r\n".to_vec()))
        );
        assert_eq!(
            FramingRule::delimiter_from_text("", TextEncoding::Utf8),
            Err(FramingError::EmptyDelimiter)
        );
        assert!(matches!(
            FramingRule::delimiter_from_text("\\q", TextEncoding::Utf8),
            Err(FramingError::DelimiterInput(_))
        ));
    }

    #[test]
    fn words_in_both_languages() {
        let rule = FramingRule::LengthPrefix(LengthPrefix::default());
        assert_eq!(
            rule.describe(Lang::En),
            "length prefix, 4 bytes, big-endian"
        );
        assert_eq!(rule.describe(Lang::Zh), "长度前缀，4 字节，大端");
        let one = FramingRule::LengthPrefix(prefix(PrefixWidth::One, ByteOrder::Little, true));
        assert_eq!(
            one.describe(Lang::En),
            "length prefix, 1 byte, counting itself"
        );
        let little = FramingRule::LengthPrefix(prefix(PrefixWidth::Two, ByteOrder::Little, false));
        assert_eq!(little.describe(Lang::Zh), "长度前缀，2 字节，小端");
        let delimiter = FramingRule::Delimiter(b"\r\n".to_vec());
        assert_eq!(delimiter.describe(Lang::En), "delimiter \\r\\n");
        assert_eq!(delimiter_text(b" "), "\\x20");
        assert!(FramingRule::Line.describe(Lang::Zh).contains("\\r\\n"));
        assert_eq!(
            FramingRule::FixedSize(1).describe(Lang::En),
            "fixed size, 1 byte each"
        );
        let message = Frame::Message {
            at: 0,
            payload: b"hello".to_vec(),
            framing_len: 1,
            chunks: 2,
        };
        assert_eq!(
            message.summary(Lang::En),
            "message, 5 bytes, arrived in 2 recv chunks"
        );
        assert_eq!(
            message.summary(Lang::Zh),
            "一条消息，5 字节，分 2 次 recv 才收齐"
        );
        let whole = Frame::Message {
            at: 0,
            payload: b"x".to_vec(),
            framing_len: 1,
            chunks: 1,
        };
        assert_eq!(whole.summary(Lang::En), "message, 1 byte");
        assert_eq!(whole.summary(Lang::Zh), "一条消息，1 字节");
        for lang in Lang::ALL {
            for frame in [
                Frame::Skipped { at: 0, len: 3 },
                Frame::Incomplete { at: 0, len: 3 },
            ] {
                assert!(frame.summary(lang).contains('3'));
            }
            for problem in [
                BrokenProblem::LineTooLong { cap: 1024 },
                BrokenProblem::DelimitedTooLong { cap: 1024 },
            ] {
                assert!(
                    problem.text(lang).contains("1024"),
                    "{}",
                    problem.text(lang)
                );
            }
            for error in [
                FramingError::DelimiterTooLong { len: 17 },
                FramingError::FixedSizeOverCap { size: 17, cap: 4 },
            ] {
                assert!(error.text(lang).contains("17"));
            }
            assert!(!FramingError::FixedSizeZero.text(lang).is_empty());
            assert!(!FramingError::EmptyDelimiter.text(lang).is_empty());
        }
    }

    #[test]
    fn fuzz_one_takes_anything() {
        fuzz_one(&[]);
        fuzz_one(&[0]);
        fuzz_one(b"\xff\xff\xff\xff\xff\xff\xff\xff\n\n\r\n");
        fuzz_one(&[63, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    /// Messages, each with the rule that carries it, that a sender could send unambiguously.
    fn rule_and_messages() -> impl Strategy<Value = (FramingRule, Vec<Vec<u8>>)> {
        // A small alphabet, so that delimiters and line endings turn up inside messages.
        let message = prop::collection::vec(
            prop::sample::select(vec![b'a', b'b', b'\r', b'\n', 0, 255]),
            0..40,
        );
        let messages = prop::collection::vec(message, 0..12);
        let delimiter = prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'\n']), 1..4);
        let prefixes = (0..3usize, any::<bool>(), any::<bool>()).prop_map(|(w, big, itself)| {
            prefix(
                PrefixWidth::ALL[w],
                if big {
                    ByteOrder::Big
                } else {
                    ByteOrder::Little
                },
                itself,
            )
        });
        let rule = prop_oneof![
            Just(FramingRule::Line),
            delimiter.prop_map(FramingRule::Delimiter),
            (1..10usize).prop_map(FramingRule::FixedSize),
            prefixes.prop_map(FramingRule::LengthPrefix),
        ];
        (rule, messages).prop_map(|(rule, messages)| {
            let messages = messages
                .into_iter()
                .filter_map(|message| fit(&rule, message))
                .collect();
            (rule, messages)
        })
    }

    /// The message as `rule` can carry it, or None when it cannot.
    fn fit(rule: &FramingRule, mut message: Vec<u8>) -> Option<Vec<u8>> {
        match rule {
            FramingRule::Line => (!message.contains(&b'\n')).then_some(message),
            FramingRule::Delimiter(delimiter) => {
                // The first delimiter in message + delimiter must be the one appended.
                let mut framed = message.clone();
                framed.extend_from_slice(delimiter);
                let first = framed
                    .windows(delimiter.len())
                    .position(|window| window == delimiter.as_slice());
                (first == Some(message.len())).then_some(message)
            }
            FramingRule::FixedSize(size) => {
                message.resize(*size, b'z');
                Some(message)
            }
            FramingRule::LengthPrefix(prefix) => {
                (message.len() as u64 <= prefix.max_payload()).then_some(message)
            }
        }
    }

    proptest! {
        #[test]
        fn what_is_sent_is_what_is_framed(
            (rule, messages) in rule_and_messages(),
            sizes in prop::collection::vec(1..20usize, 1..8),
        ) {
            let stream = encode(&rule, &messages);
            let frames = run(rule.clone(), 64, &stream, &sizes);
            prop_assert_eq!(payloads(&frames), messages.clone());
            prop_assert_eq!(frames.len(), messages.len());
        }

        #[test]
        fn lines_with_either_ending(
            lines in prop::collection::vec(
                (prop::collection::vec(any::<u8>().prop_filter("no lf", |b| *b != b'\n'), 0..30), any::<bool>()),
                0..10),
            sizes in prop::collection::vec(1..50usize, 1..5),
        ) {
            let mut stream = Vec::new();
            for (line, crlf) in &lines {
                stream.extend_from_slice(line);
                // A line ending in \r needs \r\n to keep its \r.
                let crlf = *crlf || line.last() == Some(&b'\r');
                stream.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            let frames = run(FramingRule::Line, 64, &stream, &sizes);
            let expected: Vec<Vec<u8>> = lines.into_iter().map(|(line, _)| line).collect();
            prop_assert_eq!(payloads(&frames), expected);
        }

        #[test]
        fn prefixed_payloads_round_trip(
            payload in prop::collection::vec(any::<u8>(), 0..300),
            which in 0..12usize,
            sizes in prop::collection::vec(1..400usize, 1..4),
        ) {
            let prefix = all_prefixes()[which];
            let fits = payload.len() as u64 <= prefix.max_payload();
            match add_prefix(&prefix, &payload) {
                Ok(stream) => {
                    prop_assert!(fits);
                    let frames = run(FramingRule::LengthPrefix(prefix), 300, &stream, &sizes);
                    prop_assert_eq!(payloads(&frames), vec![payload]);
                }
                Err(_) => prop_assert!(!fits),
            }
        }

        #[test]
        fn fuzz_one_over_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..600)) {
            fuzz_one(&data);
        }

        #[test]
        fn fuzz_one_over_framing_like_bytes(
            header in prop::collection::vec(any::<u8>(), 4..8),
            body in prop::collection::vec(prop::sample::select(vec![0u8, 1, 2, 3, b'\r', b'\n', 255]), 0..600),
        ) {
            let mut data = header;
            data.extend(body);
            fuzz_one(&data);
        }
    }
}
