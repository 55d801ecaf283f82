//! The send composer (PRODUCT part 4): the bytes to send as text (UTF-8, GBK or Latin-1, with
//! escapes `\r \n \t \0 \xNN`), as hex, or from a file; a line ending for text; send, sendall
//! and (datagram sockets) sendto with a destination; a live preview of the bytes; repeat N times
//! or every T ms (the composer's payload, or a saved message expanded at each send); an
//! optional length prefix before the payload (as the received view's length-prefix framing
//! reads it); and a history of what was sent.
//!
//! The composer never touches a socket: [`Composer::ui`] returns the [`Call`]s to issue and the
//! window passes them to the engine. Bad input (odd hex, an unknown escape, a character the
//! encoding cannot write, a missing file) is pointed at in place and the send buttons are
//! disabled with the reason as their hover text.

use super::calls::{Destinations, availability_in, parse_address_in};
use super::data::framing_view::length_prefix_ui;
use super::messages::SavedMessages;
use super::theme;
use crate::codec::{self, InputError, LineEnding, TextEncoding, terminal_safe};
use crate::engine::command::bytes_literal_short;
use crate::engine::{AddrArg, Call, CallKind, Direction, Family, Origin, SockType};
use crate::i18n::Lang;
use crate::messages::SendCall;
use crate::messages::framing::{self, FramingError, LengthPrefix};
use crate::session::SocketView;
use crate::t;
use egui::text::{LayoutJob, TextFormat};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The history keeps this many payloads.
pub const HISTORY_LEN: usize = 20;
/// Load refuses files larger than this.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most a UDP datagram over IPv4 can carry.
pub const MAX_UDP_PAYLOAD: usize = 65_507;

/// Where the payload comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayloadMode {
    #[default]
    Text,
    Hex,
    File,
}

impl PayloadMode {
    pub const ALL: [PayloadMode; 3] = [PayloadMode::Text, PayloadMode::Hex, PayloadMode::File];
    pub fn label(self, lang: Lang) -> String {
        match self {
            PayloadMode::Text => t!(lang, "composer-mode-text"),
            PayloadMode::Hex => t!(lang, "composer-mode-hex"),
            PayloadMode::File => t!(lang, "composer-mode-file"),
        }
    }
    fn tooltip(self, lang: Lang) -> String {
        match self {
            PayloadMode::Text => t!(lang, "composer-mode-text-tip"),
            PayloadMode::Hex => t!(lang, "composer-mode-hex-tip"),
            PayloadMode::File => t!(lang, "composer-mode-file-tip"),
        }
    }
}

/// Which call sends the payload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SendKind {
    #[default]
    Send,
    SendAll,
    SendTo,
}

impl SendKind {
    pub const ALL: [SendKind; 3] = [SendKind::Send, SendKind::SendAll, SendKind::SendTo];
    pub fn call_kind(self) -> CallKind {
        match self {
            SendKind::Send => CallKind::Send,
            SendKind::SendAll => CallKind::SendAll,
            SendKind::SendTo => CallKind::SendTo,
        }
    }
    /// The call's name (`"sendall"`).
    pub fn name(self) -> &'static str {
        self.call_kind().name()
    }
    /// The button's text (`"sendall()"`).
    pub fn button_text(self) -> &'static str {
        match self {
            SendKind::Send => "send()",
            SendKind::SendAll => "sendall()",
            SendKind::SendTo => "sendto()",
        }
    }
}

/// Why there are no bytes to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayloadError {
    /// The text or hex field: where (character position) and why.
    Input(InputError),
    /// The file could not be used.
    File(FileError),
    /// The payload is longer than the length prefix can say.
    Prefix(FramingError),
}

impl PayloadError {
    /// Why, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PayloadError::Input(error) => error.text(lang),
            PayloadError::File(error) => error.text(lang),
            PayloadError::Prefix(error) => error.text(lang),
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Why the file cannot be sent (worded when shown, in the window's language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// The path was edited after Load.
    PathChanged,
    /// Nothing loaded yet.
    NotLoaded,
    /// Load with an empty path.
    NoPath,
    /// The system's own error (as the system words it).
    Io {
        path: String,
        error: String,
    },
    Directory {
        path: String,
    },
    TooBig {
        path: String,
        size: u64,
    },
}

impl FileError {
    /// Why, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FileError::PathChanged => t!(lang, "composer-file-path-changed"),
            FileError::NotLoaded => t!(lang, "composer-file-not-loaded"),
            FileError::NoPath => t!(lang, "composer-file-no-path"),
            FileError::Io { path, error } => format!("{path}: {error}"),
            FileError::Directory { path } => {
                t!(lang, "composer-file-directory", path = path.as_str())
            }
            FileError::TooBig { path, size } => t!(
                lang,
                "composer-file-too-big",
                path = path.as_str(),
                size = super::bytes_text(*size),
                max = super::bytes_text(MAX_FILE_BYTES)
            ),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// A message under the buttons, worded when drawn (the repeat ends between frames, where no
/// language is at hand).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Note {
    /// Stop was pressed.
    RepeatStopped {
        done: u64,
        kind: SendKind,
    },
    /// The repeat could not go on: the socket closed (None) or the call is no longer
    /// possible (why, in the language of the moment it ended).
    RepeatEnded {
        done: u64,
        reason: Option<String>,
    },
    RepeatDone {
        done: u64,
        kind: SendKind,
    },
    /// An error already worded (a click refused).
    Error(String),
}

impl Note {
    /// (is an error, text).
    fn text(&self, lang: Lang) -> (bool, String) {
        match self {
            Note::RepeatStopped { done, kind } => (
                false,
                t!(
                    lang,
                    "composer-repeat-stopped",
                    count = *done,
                    call = kind.name()
                ),
            ),
            Note::RepeatEnded { done, reason } => {
                let reason = match reason {
                    Some(reason) => reason.clone(),
                    None => t!(lang, "calls-closed"),
                };
                (
                    true,
                    t!(
                        lang,
                        "composer-repeat-ended",
                        count = *done,
                        reason = reason
                    ),
                )
            }
            Note::RepeatDone { done, kind } => (
                false,
                t!(
                    lang,
                    "composer-repeat-done",
                    count = *done,
                    call = kind.name()
                ),
            ),
            Note::Error(text) => (true, text.clone()),
        }
    }
}

/// One payload sent before, as it was typed, so it can be loaded back or sent again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryEntry {
    pub mode: PayloadMode,
    /// The text, the hex digits, or the file's path.
    pub input: String,
    pub encoding: TextEncoding,
    pub line_ending: LineEnding,
    pub kind: SendKind,
    /// sendto's destination as typed (empty for send / sendall).
    pub destination: String,
    /// The length prefix put before the payload, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<LengthPrefix>,
    /// What the list shows: `sendall 7 bytes: b'hello\r\n'`.
    pub summary: String,
}

impl HistoryEntry {
    fn same_payload(&self, other: &HistoryEntry) -> bool {
        self.mode == other.mode
            && self.input == other.input
            && self.encoding == other.encoding
            && self.line_ending == other.line_ending
            && self.kind == other.kind
            && self.destination == other.destination
            && self.prefix == other.prefix
    }
}

#[derive(Clone, Debug)]
struct LoadedFile {
    path: String,
    data: Arc<[u8]>,
}

/// What a running repeat sends.
#[derive(Clone, Debug)]
enum RepeatSource {
    /// The same call each time: the composer's payload when the repeat started.
    Call(Call),
    /// The saved message of this name, its placeholders filled in at each send (its
    /// `${counter}` advancing).
    Saved(String),
}

/// A repeat that is running.
#[derive(Clone, Debug)]
struct Repeat {
    source: RepeatSource,
    kind: SendKind,
    /// None: until Stop.
    total: Option<u64>,
    done: u64,
    every: Duration,
    next_at: Instant,
    /// The previous repeated call has not returned yet: wait for it (its return wakes the UI).
    waiting: bool,
}

/// What the payload was built from: the mode, the input, the encoding, the line ending, the
/// file's Load and the length prefix.
type PayloadKey = (
    PayloadMode,
    String,
    TextEncoding,
    LineEnding,
    u64,
    Option<LengthPrefix>,
);

/// The bytes built from what was typed, kept until the input changes.
#[derive(Clone, Debug, Default)]
struct PayloadCache {
    key: Option<PayloadKey>,
    result: Option<Result<Vec<u8>, PayloadError>>,
}

/// The send composer of one socket.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Composer {
    pub family: Family,
    pub sock_type: SockType,
    pub mode: PayloadMode,
    /// Text mode: the text with escapes.
    pub text: String,
    pub encoding: TextEncoding,
    /// Appended to text payloads.
    pub line_ending: LineEnding,
    /// Hex mode: the hex digits.
    pub hex: String,
    /// File mode: the path to load.
    pub file_path: String,
    /// sendto's destination: `127.0.0.1:9999` or `('127.0.0.1', 9999)`. Until a person
    /// chooses one, it follows [`Destinations::suggested`].
    pub destination: String,
    /// A person typed or picked the destination: it no longer follows the suggestion.
    pub destination_chosen: bool,
    /// The call a repeat makes.
    pub repeat_call: SendKind,
    /// How many times to repeat; empty or 0: until Stop.
    pub repeat_times: String,
    /// Milliseconds between repeats; empty or 0: one a frame.
    pub repeat_every_ms: String,
    /// The repeat sends the saved message of this name instead of the composer's payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_saved: Option<String>,
    /// Put a length prefix ([`Composer::prefix`]) before the payload.
    pub add_prefix: bool,
    /// The length prefix's width, byte order and whether it counts itself.
    pub prefix: LengthPrefix,
    /// Payloads sent before, newest first.
    pub history: Vec<HistoryEntry>,
    #[serde(skip)]
    file: Option<LoadedFile>,
    #[serde(skip)]
    file_error: Option<FileError>,
    /// Bumped on each Load, so the cached payload is rebuilt.
    #[serde(skip)]
    file_generation: u64,
    #[serde(skip)]
    repeat: Option<Repeat>,
    /// A message under the buttons.
    #[serde(skip)]
    note: Option<Note>,
    #[serde(skip)]
    cache: PayloadCache,
    /// When the repeat last made a call (at most one call per `now`, so calling both
    /// [`Composer::tick`] and [`Composer::ui`] in one frame is harmless).
    #[serde(skip)]
    last_tick: Option<Instant>,
}

impl Default for Composer {
    fn default() -> Self {
        Composer::new(Family::Ipv4, SockType::Stream)
    }
}

impl Composer {
    pub fn new(family: Family, sock_type: SockType) -> Self {
        Composer {
            family,
            sock_type,
            mode: PayloadMode::Text,
            text: String::new(),
            encoding: TextEncoding::Utf8,
            line_ending: LineEnding::None,
            hex: String::new(),
            file_path: String::new(),
            destination: String::new(),
            destination_chosen: false,
            repeat_call: match sock_type {
                SockType::Stream => SendKind::Send,
                SockType::Datagram => SendKind::SendTo,
            },
            repeat_times: "10".into(),
            repeat_every_ms: "1000".into(),
            repeat_saved: None,
            add_prefix: false,
            prefix: LengthPrefix::default(),
            history: Vec::new(),
            file: None,
            file_error: None,
            file_generation: 0,
            repeat: None,
            note: None,
            cache: PayloadCache::default(),
            last_tick: None,
        }
    }

    // ----- payload -----

    /// The bytes the composer would send now: the text, hex or file, after its length prefix
    /// if one is added.
    pub fn payload(&self) -> Result<Vec<u8>, PayloadError> {
        let bytes = self.unprefixed_payload()?;
        match self.prefix_in_use() {
            Some(prefix) => framing::add_prefix(&prefix, &bytes).map_err(PayloadError::Prefix),
            None => Ok(bytes),
        }
    }

    /// The length prefix put before the payload, if one is.
    fn prefix_in_use(&self) -> Option<LengthPrefix> {
        self.add_prefix.then_some(self.prefix)
    }

    /// The bytes of the text, hex or file, without a prefix.
    fn unprefixed_payload(&self) -> Result<Vec<u8>, PayloadError> {
        match self.mode {
            PayloadMode::Text => {
                let mut bytes =
                    codec::parse_escaped(&self.text, self.encoding).map_err(PayloadError::Input)?;
                bytes.extend_from_slice(self.line_ending.bytes());
                Ok(bytes)
            }
            PayloadMode::Hex => codec::parse_hex(&self.hex).map_err(PayloadError::Input),
            PayloadMode::File => match &self.file {
                Some(file) if file.path == self.file_path.trim() => Ok(file.data.to_vec()),
                Some(_) => Err(PayloadError::File(FileError::PathChanged)),
                None => Err(PayloadError::File(
                    self.file_error.clone().unwrap_or(FileError::NotLoaded),
                )),
            },
        }
    }

    /// [`Self::payload`], computed again only when the input changed.
    fn payload_cached(&mut self) -> &Result<Vec<u8>, PayloadError> {
        let input = match self.mode {
            PayloadMode::Text => &self.text,
            PayloadMode::Hex => &self.hex,
            PayloadMode::File => &self.file_path,
        };
        let prefix = self.prefix_in_use();
        let fresh = self.cache.key.as_ref().is_some_and(
            |(mode, text, encoding, ending, generation, prefixed)| {
                *mode == self.mode
                    && text == input
                    && *encoding == self.encoding
                    && *ending == self.line_ending
                    && *generation == self.file_generation
                    && *prefixed == prefix
            },
        );
        if !fresh || self.cache.result.is_none() {
            self.cache.key = Some((
                self.mode,
                input.clone(),
                self.encoding,
                self.line_ending,
                self.file_generation,
                prefix,
            ));
            self.cache.result = Some(self.payload());
        }
        self.cache
            .result
            .get_or_insert(Err(PayloadError::File(FileError::NotLoaded)))
    }

    /// Reads the file at `file_path` into the payload (refusing directories and files over
    /// [`MAX_FILE_BYTES`]). The outcome is shown in place.
    pub fn load_file(&mut self) {
        self.file_generation += 1;
        let path = self.file_path.trim().to_string();
        let io = |error: std::io::Error| FileError::Io {
            path: path.clone(),
            error: error.to_string(),
        };
        let result = if path.is_empty() {
            Err(FileError::NoPath)
        } else {
            match std::fs::metadata(&path) {
                Err(error) => Err(io(error)),
                Ok(meta) if meta.is_dir() => Err(FileError::Directory { path: path.clone() }),
                Ok(meta) if meta.len() > MAX_FILE_BYTES => Err(FileError::TooBig {
                    path: path.clone(),
                    size: meta.len(),
                }),
                Ok(_) => std::fs::read(&path).map_err(io),
            }
        };
        match result {
            Ok(data) => {
                self.file = Some(LoadedFile {
                    path,
                    data: data.into(),
                });
                self.file_error = None;
            }
            Err(error) => {
                self.file = None;
                self.file_error = Some(error);
            }
        }
    }

    /// sendto's destination, checked (why not, in `lang`).
    pub fn destination_addr(&self, lang: Lang) -> Result<AddrArg, String> {
        if self.destination.trim().is_empty() {
            return Err(t!(lang, "composer-no-destination"));
        }
        parse_address_in(lang, &self.destination, self.family)
    }

    /// Until a person chooses a destination, it is the suggested one.
    pub fn follow_destination(&mut self, destinations: &Destinations) {
        if self.destination_chosen {
            return;
        }
        match &destinations.suggested {
            Some(address) => self.destination = address.connect_address().field_text(),
            None => self.destination.clear(),
        }
    }

    /// The call `kind` would make with the current payload (and destination).
    pub fn call_for(&self, kind: SendKind, lang: Lang) -> Result<Call, String> {
        let data = self.payload().map_err(|error| error.text(lang))?;
        make_call(kind, data, lang, || self.destination_addr(lang))
    }

    /// Why `kind` cannot be called now, if it cannot (in `lang`).
    fn refusal(&mut self, kind: SendKind, view: &SocketView, lang: Lang) -> Option<String> {
        if let Err(error) = self.payload_cached() {
            let error = error.text(lang);
            return Some(t!(lang, "composer-payload-error", error = error));
        }
        if let Err(reason) = availability_in(lang, kind.call_kind(), view) {
            return Some(reason);
        }
        if kind == SendKind::SendTo
            && let Err(error) = self.destination_addr(lang)
        {
            return Some(t!(lang, "composer-destination-invalid", error = error));
        }
        None
    }

    fn history_entry(&self, kind: SendKind, data: &[u8]) -> HistoryEntry {
        let input = match self.mode {
            PayloadMode::Text => self.text.clone(),
            PayloadMode::Hex => self.hex.clone(),
            PayloadMode::File => self.file_path.trim().to_string(),
        };
        let destination = if kind == SendKind::SendTo {
            self.destination.trim().to_string()
        } else {
            String::new()
        };
        let mut summary = format!("{} {}", kind.name(), size_text(data.len()));
        if self.mode == PayloadMode::File {
            summary.push_str(&format!(" from {input}"));
        } else {
            summary.push_str(&format!(": {}", bytes_literal_short(data)));
        }
        if !destination.is_empty() {
            summary.push_str(&format!(" to {destination}"));
        }
        HistoryEntry {
            mode: self.mode,
            input,
            encoding: self.encoding,
            line_ending: self.line_ending,
            kind,
            destination,
            prefix: self.prefix_in_use(),
            summary,
        }
    }

    fn remember(&mut self, entry: HistoryEntry) {
        self.history.retain(|old| !old.same_payload(&entry));
        self.history.insert(0, entry);
        self.history.truncate(HISTORY_LEN);
    }

    /// The payload history, newest first.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    /// Puts a history entry back into the composer.
    pub fn load_entry(&mut self, entry: &HistoryEntry) {
        self.mode = entry.mode;
        self.encoding = entry.encoding;
        self.line_ending = entry.line_ending;
        self.add_prefix = entry.prefix.is_some();
        if let Some(prefix) = entry.prefix {
            self.prefix = prefix;
        }
        match entry.mode {
            PayloadMode::Text => self.text.clone_from(&entry.input),
            PayloadMode::Hex => self.hex.clone_from(&entry.input),
            PayloadMode::File => {
                self.file_path.clone_from(&entry.input);
                self.load_file();
            }
        }
        if entry.kind == SendKind::SendTo && !entry.destination.is_empty() {
            self.destination.clone_from(&entry.destination);
            self.destination_chosen = true;
        }
    }

    /// A manual send with `kind`: the call, remembered in the history; or why not (in `lang`).
    pub fn send_now(
        &mut self,
        kind: SendKind,
        view: &SocketView,
        lang: Lang,
    ) -> Result<Call, String> {
        if let Some(reason) = self.refusal(kind, view, lang) {
            return Err(reason);
        }
        let data = match self.payload_cached() {
            Ok(data) => data.clone(),
            Err(error) => return Err(error.text(lang)),
        };
        let entry = self.history_entry(kind, &data);
        let call = make_call(kind, data, lang, || self.destination_addr(lang))?;
        self.remember(entry);
        Ok(call)
    }

    // ----- repeat -----

    /// Starts repeating `repeat_call` with the current payload (taken now: editing the composer
    /// afterwards does not change what the repeat sends). Why not, in `lang`.
    pub fn start_repeat(
        &mut self,
        view: &SocketView,
        now: Instant,
        lang: Lang,
    ) -> Result<(), String> {
        let kind = self.repeat_call;
        if let Some(reason) = self.refusal(kind, view, lang) {
            return Err(reason);
        }
        let (total, every) = self.repeat_settings(lang)?;
        let data = match self.payload_cached() {
            Ok(data) => data.clone(),
            Err(error) => return Err(error.text(lang)),
        };
        let entry = self.history_entry(kind, &data);
        let call = make_call(kind, data, lang, || self.destination_addr(lang))?;
        self.remember(entry);
        self.begin_repeat(RepeatSource::Call(call), kind, total, every, now);
        Ok(())
    }

    /// Starts the repeat the composer is set to: its own payload ([`Self::start_repeat`]), or
    /// the saved message [`Self::repeat_saved`] names, sent as the message says and expanded
    /// at each send. Why not, in `lang`.
    pub(super) fn start_repeat_with(
        &mut self,
        view: &SocketView,
        now: Instant,
        lang: Lang,
        saved: Option<&SavedMessages>,
    ) -> Result<(), String> {
        let Some(name) = self.repeat_saved.clone() else {
            return self.start_repeat(view, now, lang);
        };
        let kind = saved_kind(saved, &name, lang)?;
        availability_in(lang, kind.call_kind(), view)?;
        let (total, every) = self.repeat_settings(lang)?;
        self.begin_repeat(RepeatSource::Saved(name), kind, total, every, now);
        Ok(())
    }

    fn begin_repeat(
        &mut self,
        source: RepeatSource,
        kind: SendKind,
        total: Option<u64>,
        every: Duration,
        now: Instant,
    ) {
        self.note = None;
        self.repeat = Some(Repeat {
            source,
            kind,
            total,
            done: 0,
            every,
            next_at: now,
            waiting: false,
        });
    }

    /// Why the repeat as set cannot start now, if it cannot (in `lang`).
    fn repeat_refusal(
        &mut self,
        view: &SocketView,
        lang: Lang,
        saved: Option<&SavedMessages>,
    ) -> Option<String> {
        let refusal = match self.repeat_saved.clone() {
            None => self.refusal(self.repeat_call, view, lang),
            Some(name) => saved_kind(saved, &name, lang)
                .and_then(|kind| availability_in(lang, kind.call_kind(), view))
                .err(),
        };
        refusal.or_else(|| self.repeat_settings(lang).err())
    }

    /// The repeat's count and interval as typed, checked (why not, in `lang`).
    fn repeat_settings(&self, lang: Lang) -> Result<(Option<u64>, Duration), String> {
        let times = parse_count(&self.repeat_times)
            .map_err(|text| t!(lang, "composer-bad-times", text = text))?;
        let every_ms = parse_count(&self.repeat_every_ms)
            .map_err(|text| t!(lang, "composer-bad-interval", text = text))?;
        if times == 0 && every_ms == 0 {
            return Err(t!(lang, "composer-repeat-needs-interval"));
        }
        Ok((
            (times > 0).then_some(times),
            Duration::from_millis(every_ms),
        ))
    }

    pub fn stop_repeat(&mut self) {
        if let Some(repeat) = self.repeat.take() {
            self.note = Some(Note::RepeatStopped {
                done: repeat.done,
                kind: repeat.kind,
            });
        }
    }

    pub fn is_repeating(&self) -> bool {
        self.repeat.is_some()
    }

    /// (calls made, total) of the running repeat; total None means until Stop.
    pub fn repeat_progress(&self) -> Option<(u64, Option<u64>)> {
        self.repeat
            .as_ref()
            .map(|repeat| (repeat.done, repeat.total))
    }

    /// The repeat's call if it is due at `now` (at most one per `now`). [`Self::ui`] calls this;
    /// call it yourself each frame for a socket whose composer is not drawn (a collapsed
    /// section, another socket selected), or the repeat waits until it is drawn again.
    /// Why a repeat ended is worded in `lang`. A repeat of a saved message waits for
    /// [`Self::tick_with`], which has the saved messages.
    pub fn tick(&mut self, view: &SocketView, now: Instant, lang: Lang) -> Vec<Call> {
        self.tick_with(view, now, lang, None)
    }

    /// [`Self::tick`] with the saved messages at hand: a repeat of a saved message expands it
    /// now (its counter advances); one whose message has gone ends, saying so.
    pub(super) fn tick_with(
        &mut self,
        view: &SocketView,
        now: Instant,
        lang: Lang,
        saved: Option<&mut SavedMessages>,
    ) -> Vec<Call> {
        if !self.repeat_due(view, now, lang, saved.is_some()) {
            return Vec::new();
        }
        let made = match self.repeat.as_ref().map(|repeat| &repeat.source) {
            None => return Vec::new(),
            Some(RepeatSource::Call(call)) => Ok(call.clone()),
            Some(RepeatSource::Saved(name)) => {
                let name = name.clone();
                match saved {
                    Some(saved) => saved_call(saved, &name, view, self, lang),
                    None => return Vec::new(),
                }
            }
        };
        match made {
            Ok(call) => {
                self.repeat_made(now);
                vec![call]
            }
            Err(reason) => {
                self.end_repeat(Some(reason));
                Vec::new()
            }
        }
    }

    /// Whether the running repeat makes a call at `now`: its socket can still make it, the
    /// previous one returned, its time has come, none was made at this `now`, and (for a
    /// saved message) the saved messages are at hand. A repeat that can no longer go on ends.
    fn repeat_due(&mut self, view: &SocketView, now: Instant, lang: Lang, has_saved: bool) -> bool {
        let Some(repeat) = &mut self.repeat else {
            return false;
        };
        let stop = if view.closed {
            Some(None)
        } else {
            availability_in(lang, repeat.kind.call_kind(), view)
                .err()
                .map(Some)
        };
        if let Some(reason) = stop {
            self.end_repeat(reason);
            return false;
        }
        // Never pile calls up behind one that is blocked (a full send buffer).
        repeat.waiting = view.pending.iter().any(|pending| {
            pending.origin == Origin::User && pending.call.kind().direction() == Direction::Out
        });
        let can_make = has_saved || matches!(repeat.source, RepeatSource::Call(_));
        can_make && !repeat.waiting && now >= repeat.next_at && self.last_tick != Some(now)
    }

    /// The repeat ended by itself: the socket closed (None) or the call cannot be made (why).
    fn end_repeat(&mut self, reason: Option<String>) {
        if let Some(repeat) = self.repeat.take() {
            self.note = Some(Note::RepeatEnded {
                done: repeat.done,
                reason,
            });
        }
    }

    /// The repeat made a call at `now`: count it, and set the next (or end when done).
    fn repeat_made(&mut self, now: Instant) {
        let Some(repeat) = &mut self.repeat else {
            return;
        };
        self.last_tick = Some(now);
        repeat.done += 1;
        let next = repeat.next_at + repeat.every;
        repeat.next_at = if next <= now && !repeat.every.is_zero() {
            // Late (the window was busy or hidden): no burst to catch up.
            now + repeat.every
        } else {
            next.max(now)
        };
        if repeat.total.is_some_and(|total| repeat.done >= total) {
            let (done, kind) = (repeat.done, repeat.kind);
            self.repeat = None;
            self.note = Some(Note::RepeatDone { done, kind });
        }
    }

    /// How long until the running repeat needs a frame; None if no repeat runs (or it waits for
    /// a call to return, which wakes the window by itself).
    pub fn next_due(&self, now: Instant) -> Option<Duration> {
        let repeat = self.repeat.as_ref()?;
        if repeat.waiting {
            return None;
        }
        Some(repeat.next_at.saturating_duration_since(now))
    }

    // ----- drawing -----

    /// Draws the whole composer for this socket and returns the calls to issue now: the
    /// manual sends clicked, and the repeat's call if one is due at `now`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        destinations: &Destinations<'_>,
        now: Instant,
    ) -> Vec<Call> {
        let mut calls = self.compose_ui(ui, view, destinations, now);
        calls.extend(self.more_ui(ui, view, now));
        calls
    }

    /// The part a person sends with (the inspector keeps it in view): what to send, its
    /// bytes, the send buttons and the destination, and what went wrong.
    pub fn compose_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        destinations: &Destinations<'_>,
        now: Instant,
    ) -> Vec<Call> {
        let mut calls = self.tick(view, now, super::lang(ui.ctx()));
        self.follow_destination(destinations);
        ui.push_id("send_composer", |ui| {
            // Each part in its own scope, so a line appearing in one (an error, a note) does
            // not renumber the widgets of the parts below it.
            ui.scope(|ui| self.source_ui(ui));
            let send_asked = ui.scope(|ui| self.input_ui(ui)).inner;
            ui.scope(|ui| self.preview_ui(ui));
            ui.scope(|ui| self.buttons_ui(ui, view, destinations, &mut calls));
            if send_asked {
                let kind = self.keyboard_send_kind(view);
                self.click(kind, view, super::lang(ui.ctx()), &mut calls);
            }
            ui.scope(|ui| {
                if let Some(note) = &self.note {
                    let (is_error, note) = note.text(super::lang(ui.ctx()));
                    if is_error {
                        ui.colored_label(theme::error_color(ui.visuals()), note);
                    } else {
                        ui.weak(note);
                    }
                }
            });
        });
        self.repaint_when_due(ui, now);
        calls
    }

    /// A frame when the repeat's next call is due (nothing else would wake the window).
    fn repaint_when_due(&self, ui: &egui::Ui, now: Instant) {
        if let Some(due) = self.next_due(now) {
            ui.ctx().request_repaint_after(due);
        }
    }

    /// Repeat and history: sending again, by itself or from before.
    pub fn more_ui(&mut self, ui: &mut egui::Ui, view: &SocketView, now: Instant) -> Vec<Call> {
        self.more_ui_with(ui, view, now, None)
    }

    /// [`Self::more_ui`] with the saved messages at hand: the repeat may send one of them.
    pub(super) fn more_ui_with(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        now: Instant,
        mut saved: Option<&mut SavedMessages>,
    ) -> Vec<Call> {
        let mut calls = self.tick_with(view, now, super::lang(ui.ctx()), saved.as_deref_mut());
        ui.push_id("send_composer_more", |ui| {
            ui.scope(|ui| self.repeat_ui(ui, view, now, &mut calls, saved));
            ui.scope(|ui| self.history_ui(ui, view, &mut calls));
        });
        self.repaint_when_due(ui, now);
        calls
    }

    /// Text / Hex / File, and for text the encoding and line ending.
    fn source_ui(&mut self, ui: &mut egui::Ui) {
        let lang = super::lang(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            for mode in PayloadMode::ALL {
                ui.selectable_value(&mut self.mode, mode, mode.label(lang))
                    .on_hover_text(mode.tooltip(lang));
            }
            if self.mode == PayloadMode::Text {
                ui.separator();
                let label = ui.label(t!(lang, "composer-encoding"));
                egui::ComboBox::from_id_salt("composer_encoding")
                    .selected_text(self.encoding.label())
                    .show_ui(ui, |ui| {
                        for encoding in TextEncoding::ALL {
                            ui.selectable_value(&mut self.encoding, encoding, encoding.label());
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text(t!(lang, "composer-encoding-tip"));
                let label = ui.label(t!(lang, "composer-line-ending"));
                egui::ComboBox::from_id_salt("composer_line_ending")
                    .selected_text(self.line_ending.label(lang))
                    .show_ui(ui, |ui| {
                        for ending in LineEnding::ALL {
                            ui.selectable_value(&mut self.line_ending, ending, ending.label(lang));
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text(t!(lang, "composer-line-ending-tip"));
            }
            ui.separator();
            ui.checkbox(&mut self.add_prefix, t!(lang, "composer-prefix"))
                .on_hover_text(t!(lang, "composer-prefix-tip"));
            if self.add_prefix {
                length_prefix_ui(ui, &mut self.prefix);
            }
        });
    }

    /// What Ctrl+Enter sends: sendto on an unconnected datagram socket, else send.
    fn keyboard_send_kind(&self, view: &SocketView) -> SendKind {
        if self.sock_type == SockType::Datagram && view.peer.is_none() {
            SendKind::SendTo
        } else {
            SendKind::Send
        }
    }

    /// The text / hex field (with the error pointed at) or the file path and Load. True when
    /// Ctrl+Enter asked to send from the field.
    fn input_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let lang = super::lang(ui.ctx());
        let mut send_asked = false;
        match self.mode {
            PayloadMode::Text | PayloadMode::Hex => {
                // `field_key` names the field whatever the language.
                let (field_key, label_text, hint) = if self.mode == PayloadMode::Text {
                    (
                        "send text",
                        t!(lang, "composer-send-text"),
                        t!(lang, "composer-send-text-hint"),
                    )
                } else {
                    (
                        "send hex",
                        t!(lang, "composer-send-hex"),
                        "48 65 6c 6c 6f".to_string(),
                    )
                };
                let mode = self.mode;
                let encoding = self.encoding;
                let error_color = theme::error_color(ui.visuals());
                let text_color = ui.visuals().text_color();
                let mut layouter =
                    move |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap: f32| {
                        let text = buffer.as_str();
                        let error = input_error(mode, text, encoding);
                        let mut job = marked_input_job(
                            text,
                            error.map(|error| error.position),
                            egui::TextStyle::Monospace.resolve(ui.style()),
                            text_color,
                            error_color,
                        );
                        job.wrap.max_width = wrap;
                        ui.fonts_mut(|fonts| fonts.layout_job(job))
                    };
                let label = ui.label(label_text);
                let buffer = if self.mode == PayloadMode::Text {
                    &mut self.text
                } else {
                    &mut self.hex
                };
                // Taken before the field sees it (it would add a line).
                let field_id = ui.make_persistent_id(("composer_input", field_key));
                send_asked = ui.memory(|memory| memory.has_focus(field_id))
                    && ui.input_mut(|input| {
                        input.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter)
                    });
                ui.add(
                    egui::TextEdit::multiline(buffer)
                        .id(field_id)
                        .font(egui::TextStyle::Monospace)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY)
                        .hint_text(hint)
                        .layouter(&mut layouter),
                )
                .labelled_by(label.id);
            }
            PayloadMode::File => {
                ui.horizontal(|ui| {
                    let label = ui.label(t!(lang, "composer-file-path"));
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.file_path)
                                .desired_width(280.0)
                                .hint_text(t!(lang, "composer-file-path-hint")),
                        )
                        .labelled_by(label.id);
                    let enter =
                        field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                    if ui
                        .button(t!(lang, "composer-load"))
                        .on_hover_text(t!(lang, "composer-load-tip"))
                        .clicked()
                        || enter
                    {
                        self.load_file();
                    }
                });
                if let Some(file) = &self.file {
                    ui.weak(t!(
                        lang,
                        "composer-loaded",
                        count = file.data.len(),
                        path = file.path.as_str()
                    ));
                }
            }
        }
        send_asked
    }

    /// "N bytes: b'...'" or the error, pointed at.
    fn preview_ui(&mut self, ui: &mut egui::Ui) {
        let lang = super::lang(ui.ctx());
        let datagram = self.sock_type == SockType::Datagram;
        let result = self.payload_cached().clone();
        match result {
            Ok(data) => {
                ui.label(
                    egui::RichText::new(t!(
                        lang,
                        "composer-preview",
                        count = data.len(),
                        bytes = bytes_literal_short(&data)
                    ))
                    .monospace(),
                );
                if datagram && data.len() > MAX_UDP_PAYLOAD {
                    ui.colored_label(
                        theme::warn_color(ui.visuals()),
                        t!(lang, "composer-too-big-for-udp", max = MAX_UDP_PAYLOAD),
                    );
                }
            }
            Err(error) => {
                ui.colored_label(
                    theme::error_color(ui.visuals()),
                    t!(lang, "composer-cannot-send", error = error.text(lang)),
                );
            }
        }
    }

    /// send(), sendall(), and sendto() with its destination.
    fn buttons_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        destinations: &Destinations<'_>,
        calls: &mut Vec<Call>,
    ) {
        let lang = super::lang(ui.ctx());
        let datagram = self.sock_type == SockType::Datagram;
        ui.horizontal_wrapped(|ui| {
            for kind in [SendKind::Send, SendKind::SendAll] {
                if self.send_button(ui, kind, view) {
                    self.click(kind, view, lang, calls);
                }
            }
            if datagram {
                ui.separator();
                if self.send_button(ui, SendKind::SendTo, view) {
                    self.click(SendKind::SendTo, view, lang, calls);
                }
                let label = ui.label(t!(lang, "composer-destination"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.destination)
                            .desired_width(180.0)
                            .hint_text(t!(lang, "composer-destination-hint")),
                    )
                    .labelled_by(label.id)
                    .on_hover_text(t!(lang, "composer-destination-tip"));
                if field.changed() {
                    self.destination_chosen = true;
                }
            }
        });
        if datagram && !destinations.targets.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.weak(t!(lang, "composer-to"));
                for (name, address) in &destinations.targets {
                    if ui
                        .small_button(format!("{name} {address}"))
                        .on_hover_text(t!(lang, "composer-send-to-socket-tip"))
                        .clicked()
                    {
                        self.destination = address.connect_address().field_text();
                        self.destination_chosen = true;
                    }
                }
            });
        }
        if datagram && let Err(error) = self.destination_addr(lang) {
            ui.colored_label(
                theme::error_color(ui.visuals()),
                t!(lang, "composer-destination-error", error = error),
            );
        }
    }

    fn click(&mut self, kind: SendKind, view: &SocketView, lang: Lang, calls: &mut Vec<Call>) {
        match self.send_now(kind, view, lang) {
            Ok(call) => {
                calls.push(call);
                self.note = None;
            }
            Err(reason) => {
                self.note = Some(Note::Error(t!(
                    lang,
                    "composer-not-sent",
                    call = kind.name(),
                    reason = reason
                )))
            }
        }
    }

    /// A call button: enabled, or disabled with the reason as its hover text.
    fn send_button(&mut self, ui: &mut egui::Ui, kind: SendKind, view: &SocketView) -> bool {
        let lang = super::lang(ui.ctx());
        match self.refusal(kind, view, lang) {
            None => ui
                .button(kind.button_text())
                .on_hover_text(kind.call_kind().tooltip(lang))
                .clicked(),
            Some(reason) => {
                ui.add_enabled(false, egui::Button::new(kind.button_text()))
                    .on_disabled_hover_text(format!(
                        "{}\n\n{}",
                        kind.call_kind().tooltip(lang),
                        t!(lang, "composer-not-now", reason = reason)
                    ));
                false
            }
        }
    }

    fn repeat_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        now: Instant,
        calls: &mut Vec<Call>,
        saved: Option<&mut SavedMessages>,
    ) {
        let lang = super::lang(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            if let Some(repeat) = &self.repeat {
                let progress = match repeat.total {
                    Some(total) => t!(
                        lang,
                        "composer-repeat-progress",
                        done = repeat.done,
                        total = total
                    ),
                    None => t!(
                        lang,
                        "composer-repeat-progress-until-stop",
                        done = repeat.done
                    ),
                };
                ui.strong(progress);
                ui.weak(t!(
                    lang,
                    "composer-repeat-every-status",
                    call = repeat.kind.name(),
                    ms = repeat.every.as_millis().to_string()
                ));
                if repeat.waiting {
                    ui.weak(t!(lang, "composer-repeat-waiting"));
                }
                if ui
                    .button(t!(lang, "composer-repeat-stop"))
                    .on_hover_text(t!(lang, "composer-repeat-stop-tip"))
                    .clicked()
                {
                    self.stop_repeat();
                }
                return;
            }
            ui.label(t!(lang, "composer-repeat"));
            self.repeat_source_ui(ui, saved.as_deref());
            match self.repeat_saved.as_deref() {
                // A saved message is sent with its own call.
                Some(name) => {
                    if let Ok(kind) = saved_kind(saved.as_deref(), name, lang) {
                        ui.weak(kind.button_text());
                    }
                }
                None => self.repeat_call_ui(ui),
            }
            let label = ui.label(t!(lang, "composer-repeat-times"));
            ui.add(egui::TextEdit::singleline(&mut self.repeat_times).desired_width(48.0))
                .labelled_by(label.id)
                .on_hover_text(t!(lang, "composer-repeat-times-tip"));
            let label = ui.label(t!(lang, "composer-repeat-every"));
            ui.add(egui::TextEdit::singleline(&mut self.repeat_every_ms).desired_width(56.0))
                .labelled_by(label.id)
                .on_hover_text(t!(lang, "composer-repeat-every-tip"));
            let refusal = self.repeat_refusal(view, lang, saved.as_deref());
            let start = match refusal {
                None => ui
                    .button(t!(lang, "composer-repeat-start"))
                    .on_hover_text(t!(lang, "composer-repeat-start-tip"))
                    .clicked(),
                Some(reason) => {
                    ui.add_enabled(false, egui::Button::new(t!(lang, "composer-repeat-start")))
                        .on_disabled_hover_text(t!(lang, "composer-not-now", reason = reason));
                    false
                }
            };
            if start {
                match self.start_repeat_with(view, now, lang, saved.as_deref()) {
                    // The first call goes at once.
                    Ok(()) => calls.extend(self.tick_with(view, now, lang, saved)),
                    Err(reason) => {
                        self.note = Some(Note::Error(t!(
                            lang,
                            "composer-repeat-not-started",
                            reason = reason
                        )))
                    }
                }
            }
        });
        // A count or interval that is not a number is said where it was typed.
        if self.repeat.is_none()
            && let Err(reason) = self.repeat_settings(lang)
        {
            ui.colored_label(
                theme::error_color(ui.visuals()),
                t!(lang, "composer-repeat-error", reason = reason),
            );
        }
    }

    /// The call a repeat of the composer's payload makes.
    fn repeat_call_ui(&mut self, ui: &mut egui::Ui) {
        let lang = super::lang(ui.ctx());
        let datagram = self.sock_type == SockType::Datagram;
        egui::ComboBox::from_id_salt("repeat_call")
            .selected_text(self.repeat_call.button_text())
            .show_ui(ui, |ui| {
                for kind in SendKind::ALL {
                    if kind != SendKind::SendTo || datagram {
                        ui.selectable_value(&mut self.repeat_call, kind, kind.button_text());
                    }
                }
            })
            .response
            .on_hover_text(t!(lang, "composer-repeat-call-tip"));
    }

    /// What the repeat sends: the composer's payload or a saved message (offered while there
    /// are saved messages, or one is chosen).
    fn repeat_source_ui(&mut self, ui: &mut egui::Ui, saved: Option<&SavedMessages>) {
        let names: Vec<String> = saved
            .map(|saved| saved.list().iter().map(|m| m.name.clone()).collect())
            .unwrap_or_default();
        if names.is_empty() && self.repeat_saved.is_none() {
            return;
        }
        let lang = super::lang(ui.ctx());
        let source_text = |source: Option<&str>| match source {
            None => t!(lang, "composer-repeat-saved-own"),
            Some(name) => t!(
                lang,
                "composer-repeat-saved-message",
                name = terminal_safe(name)
            ),
        };
        let label = ui.label(t!(lang, "composer-repeat-saved-source"));
        egui::ComboBox::from_id_salt("repeat_source")
            .selected_text(source_text(self.repeat_saved.as_deref()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.repeat_saved, None, source_text(None));
                for name in names {
                    let text = source_text(Some(&name));
                    ui.selectable_value(&mut self.repeat_saved, Some(name), text);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(t!(lang, "composer-repeat-saved-tip"));
    }

    fn history_ui(&mut self, ui: &mut egui::Ui, view: &SocketView, calls: &mut Vec<Call>) {
        if self.history.is_empty() {
            return;
        }
        let lang = super::lang(ui.ctx());
        let mut load = None;
        let mut resend = None;
        egui::CollapsingHeader::new(t!(lang, "composer-history", count = self.history.len()))
            .id_salt("send_history")
            .show(ui, |ui| {
                for (index, entry) in self.history.iter().enumerate() {
                    ui.horizontal(|ui| {
                        if ui
                            .small_button(t!(lang, "composer-resend"))
                            .on_hover_text(t!(lang, "composer-resend-tip"))
                            .clicked()
                        {
                            resend = Some(index);
                        }
                        if ui
                            .selectable_label(
                                false,
                                egui::RichText::new(&entry.summary).monospace(),
                            )
                            .on_hover_text(t!(lang, "composer-history-load-tip"))
                            .clicked()
                        {
                            load = Some(index);
                        }
                    });
                }
            });
        if let Some(entry) = load.and_then(|index| self.history.get(index).cloned()) {
            self.load_entry(&entry);
            self.note = None;
        }
        if let Some(entry) = resend.and_then(|index| self.history.get(index).cloned()) {
            self.load_entry(&entry);
            self.click(entry.kind, view, lang, calls);
        }
    }
}

/// The call a saved message is sent with.
fn send_kind(call: SendCall) -> SendKind {
    match call {
        SendCall::Send => SendKind::Send,
        SendCall::SendAll => SendKind::SendAll,
        SendCall::SendTo => SendKind::SendTo,
    }
}

/// The first saved message named `name`: its place in the list, or why there is none.
fn saved_index(saved: Option<&SavedMessages>, name: &str, lang: Lang) -> Result<usize, String> {
    saved
        .and_then(|saved| saved.list().iter().position(|message| message.name == name))
        .ok_or_else(|| {
            t!(
                lang,
                "composer-repeat-saved-gone",
                name = terminal_safe(name)
            )
        })
}

/// The call the saved message `name` is sent with, or why there is none.
fn saved_kind(saved: Option<&SavedMessages>, name: &str, lang: Lang) -> Result<SendKind, String> {
    let index = saved_index(saved, name, lang)?;
    let message = saved.and_then(|saved| saved.list().get(index));
    Ok(message.map_or(SendKind::Send, |message| send_kind(message.call)))
}

/// The call that sends the saved message `name` from `view` now: its placeholders expanded,
/// its counter advanced; sendto without a destination of its own goes to `composer`'s.
fn saved_call(
    saved: &mut SavedMessages,
    name: &str,
    view: &SocketView,
    composer: &Composer,
    lang: Lang,
) -> Result<Call, String> {
    let index = saved_index(Some(saved), name, lang)?;
    saved.call_for(index, view, Some(composer), lang)
}

fn make_call(
    kind: SendKind,
    data: Vec<u8>,
    lang: Lang,
    destination: impl FnOnce() -> Result<AddrArg, String>,
) -> Result<Call, String> {
    Ok(match kind {
        SendKind::Send => Call::Send { data },
        SendKind::SendAll => Call::SendAll { data },
        SendKind::SendTo => Call::SendTo {
            data,
            addr: destination()
                .map_err(|error| t!(lang, "composer-destination-invalid", error = error))?,
        },
    })
}

/// `1 byte`, `12 bytes`: for the history's summaries, which are kept as they were written
/// (data, not words of the window).
fn size_text(len: usize) -> String {
    if len == 1 {
        "1 byte".into()
    } else {
        format!("{len} bytes")
    }
}

/// A whole number typed in a field; empty is 0. Not a number: the text, trimmed.
fn parse_count(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse().map_err(|_| text.to_string())
}

/// The error in typed text or hex, if any.
fn input_error(mode: PayloadMode, text: &str, encoding: TextEncoding) -> Option<InputError> {
    match mode {
        PayloadMode::Text => codec::parse_escaped(text, encoding).err(),
        PayloadMode::Hex => codec::parse_hex(text).err(),
        PayloadMode::File => None,
    }
}

/// The characters an error at character `position` points at: the character, and for an
/// escape (`\q`, `\x4`) the character after the backslash too. As a byte range of `text`.
pub fn error_span(text: &str, position: usize) -> Option<std::ops::Range<usize>> {
    let mut chars = text.char_indices().skip(position);
    let (start, first) = chars.next()?;
    let mut end = start + first.len_utf8();
    if first == '\\'
        && let Some((at, next)) = chars.next()
    {
        end = at + next.len_utf8();
    }
    Some(start..end)
}

/// The typed text as a layout, with the erroneous characters underlined on a red background.
fn marked_input_job(
    text: &str,
    error_at: Option<usize>,
    font: egui::FontId,
    color: egui::Color32,
    error_color: egui::Color32,
) -> LayoutJob {
    let plain = TextFormat::simple(font.clone(), color);
    let mut job = LayoutJob::default();
    match error_at.and_then(|position| error_span(text, position)) {
        Some(span) => {
            job.append(&text[..span.start], 0.0, plain.clone());
            job.append(
                &text[span.clone()],
                0.0,
                TextFormat {
                    background: error_color.gamma_multiply(0.35),
                    underline: egui::Stroke::new(2.0, error_color),
                    ..TextFormat::simple(font, color)
                },
            );
            job.append(&text[span.end..], 0.0, plain);
        }
        None => job.append(text, 0.0, plain),
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{SocketInfo, StateChange};
    use crate::engine::{Event, Lifecycle, Mode, SocketId};
    use crate::session::Session;

    fn socket_view(sock_type: SockType, state: Lifecycle, peer: Option<&str>) -> SocketView {
        let mut session = Session::default();
        session.apply(Event::Opened(SocketInfo {
            socket: SocketId(1),
            family: Family::Ipv4,
            sock_type,
            parent: None,
            at_us: 0,
        }));
        session.apply(Event::State(StateChange {
            socket: SocketId(1),
            at_us: 1,
            state,
            mode: Mode::Blocking,
            local: Some(crate::engine::address::at("127.0.0.1:5000")),
            peer: peer.map(crate::engine::address::at),
        }));
        session.socket(SocketId(1)).cloned().expect("socket")
    }

    fn connected_tcp() -> SocketView {
        socket_view(SockType::Stream, Lifecycle::Connected, Some("127.0.0.1:80"))
    }

    #[test]
    fn text_with_escapes_encoding_and_line_ending() {
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.text = "GET /\\t\\x00".into();
        composer.line_ending = LineEnding::CrLf;
        assert_eq!(composer.payload(), Ok(b"GET /\t\0\r\n".to_vec()));
        composer.text = "中文".into();
        composer.encoding = TextEncoding::Gbk;
        composer.line_ending = LineEnding::Lf;
        assert_eq!(composer.payload(), Ok(vec![0xd6, 0xd0, 0xce, 0xc4, b'\n']));
        composer.encoding = TextEncoding::Latin1;
        composer.text = "é".into();
        composer.line_ending = LineEnding::None;
        assert_eq!(composer.payload(), Ok(vec![0xe9]));
        composer.text = "a中".into();
        let Err(PayloadError::Input(error)) = composer.payload() else {
            panic!("Latin-1 cannot write 中");
        };
        assert_eq!(error.position, 1);
        // An empty send is allowed.
        composer.text.clear();
        assert_eq!(composer.payload(), Ok(Vec::new()));
    }

    #[test]
    fn hex_errors_point_at_the_character() {
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.mode = PayloadMode::Hex;
        composer.hex = "48 65\n6c 6c 6f".into();
        composer.line_ending = LineEnding::CrLf; // not added to hex
        assert_eq!(composer.payload(), Ok(b"Hello".to_vec()));
        composer.hex = "48 6".into();
        let Err(PayloadError::Input(error)) = composer.payload() else {
            panic!("odd hex is refused");
        };
        assert_eq!(error.position, 3);
        assert!(error.to_string().starts_with("at character 4: odd number"));
        assert_eq!(error_span(&composer.hex, error.position), Some(3..4));
        composer.hex = "48 zz".into();
        let Err(PayloadError::Input(error)) = composer.payload() else {
            panic!("bad hex is refused");
        };
        assert_eq!(error.position, 3);
        // The send buttons are refused with the reason.
        let view = connected_tcp();
        let reason = composer
            .refusal(SendKind::Send, &view, Lang::En)
            .expect("refused");
        assert!(reason.contains("at character 4"), "{reason}");
        assert!(
            composer
                .send_now(SendKind::SendAll, &view, Lang::En)
                .is_err()
        );
        assert!(composer.history().is_empty());
    }

    #[test]
    fn escape_errors_mark_the_whole_escape() {
        let text = "ab\\q";
        let error = input_error(PayloadMode::Text, text, TextEncoding::Utf8).expect("error");
        assert_eq!(error_span(text, error.position), Some(2..4));
        let job = marked_input_job(
            text,
            Some(error.position),
            egui::FontId::monospace(12.0),
            egui::Color32::WHITE,
            egui::Color32::RED,
        );
        assert_eq!(job.text, text);
        assert_eq!(job.sections.len(), 3);
        assert_eq!(error_span("中x", 1), Some(3..4));
        assert_eq!(error_span("ab", 5), None);
    }

    #[test]
    fn buttons_make_send_sendall_and_sendto_calls() {
        let view = connected_tcp();
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.text = "hi".into();
        assert_eq!(
            composer.send_now(SendKind::Send, &view, Lang::En),
            Ok(Call::Send {
                data: b"hi".to_vec()
            })
        );
        assert_eq!(
            composer.send_now(SendKind::SendAll, &view, Lang::En),
            Ok(Call::SendAll {
                data: b"hi".to_vec()
            })
        );
        // sendto is for datagram sockets.
        assert!(
            composer
                .send_now(SendKind::SendTo, &view, Lang::En)
                .is_err()
        );

        let udp = socket_view(SockType::Datagram, Lifecycle::Bound, None);
        let mut composer = Composer::new(Family::Ipv4, SockType::Datagram);
        composer.text = "ping".into();
        composer.destination = "('127.0.0.1', 9999)".into();
        assert_eq!(
            composer.send_now(SendKind::SendTo, &udp, Lang::En),
            Ok(Call::SendTo {
                data: b"ping".to_vec(),
                addr: AddrArg::inet("127.0.0.1", 9999)
            })
        );
        // An unconnected UDP socket has no peer for send().
        assert!(composer.send_now(SendKind::Send, &udp, Lang::En).is_err());
        composer.destination = "127.0.0.1:99999".into();
        let reason = composer
            .send_now(SendKind::SendTo, &udp, Lang::En)
            .expect_err("bad port");
        assert!(reason.contains("out of range"), "{reason}");
        // A connected UDP socket can send().
        let connected = socket_view(
            SockType::Datagram,
            Lifecycle::Connected,
            Some("127.0.0.1:9"),
        );
        assert!(
            composer
                .send_now(SendKind::Send, &connected, Lang::En)
                .is_ok()
        );
    }

    #[test]
    fn history_keeps_twenty_newest_first_without_duplicates() {
        let view = connected_tcp();
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        for n in 0..25 {
            composer.text = format!("message {n}");
            composer
                .send_now(SendKind::Send, &view, Lang::En)
                .expect("sent");
        }
        assert_eq!(composer.history().len(), HISTORY_LEN);
        assert_eq!(composer.history()[0].input, "message 24");
        composer.text = "message 10".into();
        composer
            .send_now(SendKind::Send, &view, Lang::En)
            .expect("sent");
        assert_eq!(composer.history().len(), HISTORY_LEN);
        assert_eq!(composer.history()[0].input, "message 10");
        assert_eq!(
            composer
                .history()
                .iter()
                .filter(|entry| entry.input == "message 10")
                .count(),
            1
        );
        assert_eq!(
            composer.history()[0].summary,
            "send 10 bytes: b'message 10'"
        );
        // Loading an entry back.
        let entry = composer.history()[3].clone();
        composer.text.clear();
        composer.load_entry(&entry);
        assert_eq!(composer.text, entry.input);
    }

    #[test]
    fn repeat_n_times_makes_n_calls_one_per_frame() {
        let view = connected_tcp();
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.text = "x".into();
        composer.repeat_call = SendKind::SendAll;
        composer.repeat_times = "3".into();
        composer.repeat_every_ms = "0".into();
        let now = Instant::now();
        composer
            .start_repeat(&view, now, Lang::En)
            .expect("started");
        assert_eq!(composer.next_due(now), Some(Duration::ZERO));
        let mut calls = Vec::new();
        for frame in 0..6 {
            let at = now + Duration::from_millis(frame);
            let made = composer.tick(&view, at, Lang::En);
            assert!(made.len() <= 1);
            calls.extend(made);
            // A second tick in the same frame (the window drew it twice) makes nothing.
            assert!(composer.tick(&view, at, Lang::En).is_empty());
        }
        assert_eq!(
            calls,
            vec![
                Call::SendAll {
                    data: b"x".to_vec()
                };
                3
            ]
        );
        assert!(!composer.is_repeating());
        assert_eq!(composer.next_due(now), None);
    }

    #[test]
    fn repeat_every_interval_until_stopped() {
        let view = connected_tcp();
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.repeat_times = "".into();
        composer.repeat_every_ms = "100".into();
        let start = Instant::now();
        composer
            .start_repeat(&view, start, Lang::En)
            .expect("started");
        assert_eq!(composer.tick(&view, start, Lang::En).len(), 1);
        assert_eq!(composer.next_due(start), Some(Duration::from_millis(100)));
        assert!(
            composer
                .tick(&view, start + Duration::from_millis(50), Lang::En)
                .is_empty()
        );
        assert_eq!(
            composer
                .tick(&view, start + Duration::from_millis(100), Lang::En)
                .len(),
            1
        );
        // Late by a second: one call, no burst.
        assert_eq!(
            composer
                .tick(&view, start + Duration::from_millis(1_100), Lang::En)
                .len(),
            1
        );
        assert!(
            composer
                .tick(&view, start + Duration::from_millis(1_150), Lang::En)
                .is_empty()
        );
        assert_eq!(composer.repeat_progress(), Some((3, None)));
        composer.stop_repeat();
        assert!(!composer.is_repeating());
        // Both zero is refused: that would be a flood.
        composer.repeat_every_ms = "0".into();
        assert!(composer.start_repeat(&view, start, Lang::En).is_err());
        composer.repeat_every_ms = "ten".into();
        assert!(
            composer
                .start_repeat(&view, start, Lang::En)
                .expect_err("not a number")
                .contains("'ten'")
        );
    }

    #[test]
    fn repeat_stops_when_the_socket_closes() {
        let mut view = connected_tcp();
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        let now = Instant::now();
        composer
            .start_repeat(&view, now, Lang::En)
            .expect("started");
        view.closed = true;
        assert!(composer.tick(&view, now, Lang::En).is_empty());
        assert!(!composer.is_repeating());
    }

    #[test]
    fn file_payload_is_loaded_with_errors_in_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("payload.bin");
        std::fs::write(&path, b"\x00\x01file").expect("write");
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.mode = PayloadMode::File;
        assert!(matches!(composer.payload(), Err(PayloadError::File(_))));
        composer.file_path = path.to_string_lossy().into_owned();
        composer.load_file();
        assert_eq!(composer.payload(), Ok(b"\x00\x01file".to_vec()));
        composer.file_path.push('x');
        assert!(composer.payload().is_err());
        composer.load_file();
        let Err(PayloadError::File(message)) = composer.payload() else {
            panic!("a missing file is an error");
        };
        assert!(message.to_string().contains("payload.binx"), "{message}");
        composer.file_path = dir.path().to_string_lossy().into_owned();
        composer.load_file();
        assert!(
            composer
                .payload()
                .unwrap_err()
                .to_string()
                .contains("directory")
        );
    }

    #[test]
    fn composer_settings_survive_serde() {
        let mut composer = Composer::new(Family::Ipv6, SockType::Datagram);
        composer.text = "saved".into();
        composer.destination = "[::1]:9999".into();
        composer.destination_chosen = true;
        composer.history.push(HistoryEntry {
            input: "old".into(),
            ..HistoryEntry::default()
        });
        let text = toml::to_string(&composer).expect("serialise");
        let back: Composer = toml::from_str(&text).expect("deserialise");
        assert_eq!(back.text, "saved");
        assert_eq!(back.destination, "[::1]:9999");
        assert!(back.destination_chosen);
        assert_eq!(back.history.len(), 1);
        let partial: Composer = toml::from_str("text = 'only this'").expect("defaults");
        assert_eq!(partial.text, "only this");
    }

    #[test]
    fn a_length_prefix_goes_before_the_payload_or_is_refused() {
        use crate::messages::ByteOrder;
        use crate::messages::framing::PrefixWidth;
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.text = "hello".into();
        composer.add_prefix = true;
        assert_eq!(composer.payload(), Ok(b"\x00\x00\x00\x05hello".to_vec()));
        // After the line ending; little-endian, counting itself.
        composer.line_ending = LineEnding::CrLf;
        composer.prefix = LengthPrefix {
            width: PrefixWidth::Two,
            order: ByteOrder::Little,
            counts_itself: true,
        };
        assert_eq!(composer.payload(), Ok(b"\x09\x00hello\r\n".to_vec()));
        // The cached payload follows the prefix.
        assert_eq!(
            composer.payload_cached(),
            &Ok(b"\x09\x00hello\r\n".to_vec())
        );
        composer.add_prefix = false;
        assert_eq!(composer.payload_cached(), &Ok(b"hello\r\n".to_vec()));
        // Too long for one byte: refused where the composer says why.
        composer.add_prefix = true;
        composer.prefix.width = PrefixWidth::One;
        composer.text = "x".repeat(300);
        let view = connected_tcp();
        let reason = composer
            .refusal(SendKind::Send, &view, Lang::En)
            .expect("refused");
        assert!(reason.contains("fits at most 254 bytes"), "{reason}");
        assert!(matches!(composer.payload(), Err(PayloadError::Prefix(_))));
        // The history remembers the prefix; loading the entry puts it back.
        composer.text = "hi".into();
        let call = composer
            .send_now(SendKind::Send, &view, Lang::En)
            .expect("sent");
        assert_eq!(
            call,
            Call::Send {
                data: b"\x05hi\r\n".to_vec()
            }
        );
        let entry = composer.history()[0].clone();
        assert_eq!(entry.prefix, Some(composer.prefix));
        composer.add_prefix = false;
        composer.load_entry(&entry);
        assert!(composer.add_prefix);
        let text = toml::to_string(&composer).expect("serialise");
        let back: Composer = toml::from_str(&text).expect("deserialise");
        assert!(back.add_prefix);
        assert_eq!(back.prefix, composer.prefix);
        assert_eq!(back.history[0].prefix, Some(composer.prefix));
    }

    #[test]
    fn a_repeat_of_a_saved_message_expands_it_at_each_send() {
        use crate::messages::SavedMessage;
        let view = connected_tcp();
        let mut saved = SavedMessages::default();
        saved.push(SavedMessage {
            name: "tick".into(),
            body: "n=${counter}\\n".into(),
            call: SendCall::SendAll,
            ..SavedMessage::default()
        });
        let mut composer = Composer::new(Family::Ipv4, SockType::Stream);
        composer.repeat_saved = Some("tick".into());
        composer.repeat_times = "3".into();
        composer.repeat_every_ms = "0".into();
        let now = Instant::now();
        assert_eq!(composer.repeat_refusal(&view, Lang::En, Some(&saved)), None);
        composer
            .start_repeat_with(&view, now, Lang::En, Some(&saved))
            .expect("started");
        let mut calls = Vec::new();
        for frame in 0..5 {
            let at = now + Duration::from_millis(frame);
            // Without the saved messages at hand it waits.
            assert!(composer.tick(&view, at, Lang::En).is_empty());
            calls.extend(composer.tick_with(&view, at, Lang::En, Some(&mut saved)));
        }
        let sent: Vec<Call> = ["n=0\n", "n=1\n", "n=2\n"]
            .iter()
            .map(|text| Call::SendAll {
                data: text.as_bytes().to_vec(),
            })
            .collect();
        assert_eq!(calls, sent);
        assert!(!composer.is_repeating());
        let toml = toml::to_string(&composer).expect("serialise");
        let back: Composer = toml::from_str(&toml).expect("deserialise");
        assert_eq!(back.repeat_saved.as_deref(), Some("tick"));
        // A message that has gone ends the repeat, saying so.
        composer
            .start_repeat_with(&view, now, Lang::En, Some(&saved))
            .expect("started");
        let mut empty = SavedMessages::default();
        let later = now + Duration::from_secs(1);
        assert!(
            composer
                .tick_with(&view, later, Lang::En, Some(&mut empty))
                .is_empty()
        );
        assert!(!composer.is_repeating());
        let note = composer.note.as_ref().map(|note| note.text(Lang::En).1);
        assert!(
            note.as_deref()
                .is_some_and(|note| note.contains("no saved message named 'tick'")),
            "{note:?}"
        );
        assert!(
            composer
                .repeat_refusal(&view, Lang::En, Some(&empty))
                .is_some()
        );
    }
}
