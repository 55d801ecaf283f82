//! Imports Packet Sender's saved packets (PRODUCT part 15) as saved messages: its
//! `packets.ini` and its JSON export, in the shapes Packet Sender's own code writes them
//! (github.com/dannagle/PacketSender, `src/packet.cpp`).
//!
//! - `packets.ini` is a QSettings INI file. `Packet::saveToDB` keeps the list of names as a
//!   QSettings array (`[NAMES]`, `1\name=...`, `size=N`) and each packet as a group named
//!   after the packet (`TODB(x)` writes `<name>/x`: `name`, `fromIP`, `repeat`, `toIP`,
//!   `port`, `fromPort`, `tcpOrUdp`, `sendResponse`, `hexString`, `requestPath`, then
//!   `timestamp`). `Packet::fetchAllfromDB` reads the list, then `<name>/<key>` for each name.
//!   Section names are escaped by QSettings (`%20`, `%UXXXX`, `/` as `\`), values may be
//!   quoted and carry C escapes; Qt 5 wrote the `float` repeat as `@Variant(\0\0\0\x87...)`,
//!   Qt 6 writes it as text (`2.5`).
//! - The JSON export (`Packet::ExportJSON`) is a list of objects whose keys are the member
//!   names in lower case (`hexstring`, `toip`, `tcporudp`, ...); numbers are written as text
//!   (`"port": "502"`) except `repeat`, a JSON number.
//!
//! Everything here is pure and bounded: a file over [`MAX_FILE_BYTES`] or with more than
//! [`MAX_PACKETS`] packets is refused, nothing recurses on the file's nesting (serde_json
//! limits its own), and a packet that cannot become a message is skipped with the reason,
//! never the whole file.

use super::{BodyFormat, SavedMessage, SendCall, Transport};
use crate::codec::{self, InputError, TextEncoding};
use crate::i18n::Lang;
use crate::t;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;

/// The largest file read (16 MiB).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// The most packets one file may hold; a file with more is refused.
pub const MAX_PACKETS: usize = 10_000;
/// A name longer than this many characters is cut.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest resend interval taken, in seconds (a day); a longer one skips the packet.
pub const MAX_REPEAT_SECONDS: u64 = 86_400;
/// How much of a value as written a reason quotes.
const MAX_QUOTED_CHARS: usize = 40;
/// A host name is at most 253 characters; an IPv6 address with a zone is far shorter.
const MAX_HOST_CHARS: usize = 255;

/// What a file gave: the messages (in Packet Sender's own order, by name ignoring case) and
/// the packets that could not become messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub messages: Vec<SavedMessage>,
    pub skipped: Vec<Skipped>,
}

/// A packet left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// As the message would have been named (cut, or `packet N` when it had none).
    pub name: String,
    pub reason: SkipReason,
}

/// Why a packet was left out. Values as written are quoted shortened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The INI's list of names has it, but no key of the file is stored under that name.
    NotStored,
    /// A JSON list entry that is not an object.
    NotAPacket,
    /// Odd or invalid hex (Packet Sender itself drops such digits silently).
    BadHex(InputError),
    /// SSL, DTLS, HTTP Get, HTTPS Post, or a kind Packet Sender does not know: as written.
    Kind(String),
    /// No `tcpOrUdp` at all.
    NoKind,
    /// An address without a port.
    NoPort,
    /// A port that is not 1..=65535.
    BadPort(String),
    /// An address with spaces or control characters in it, or far too long.
    BadAddress(String),
    /// A resend interval that is not a number (NaN and infinity included).
    RepeatNotANumber(String),
    /// A resend interval over [`MAX_REPEAT_SECONDS`].
    RepeatTooLong(String),
}

/// Where (1-based line and column, columns in characters) and why a whole file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub problem: ImportProblem,
}

/// Why a whole file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProblem {
    /// Over [`MAX_FILE_BYTES`].
    TooLarge { bytes: usize },
    /// More than [`MAX_PACKETS`] packets.
    TooManyPackets,
    /// Nothing but white space.
    Empty,
    /// Not JSON, in serde_json's own (English) words.
    JsonSyntax(String),
    /// The JSON stops in the middle.
    JsonEnds,
    /// JSON, but not a list.
    JsonNotAList,
    /// An INI file without Packet Sender's `NAMES/size`.
    IniNoList,
    /// `size=` that is not a number.
    IniBadListSize(String),
    /// `[section` without `]`.
    IniSectionNotClosed,
    /// A line that is neither `[section]` nor `key=value`.
    IniNoEquals,
    /// A `"` never closed.
    IniQuoteNotClosed,
}

impl Imported {
    /// "imported 5 packets, skipped 2", in `lang`.
    pub fn summary(&self, lang: Lang) -> String {
        t!(
            lang,
            "import-summary",
            imported = self.messages.len(),
            skipped = self.skipped.len()
        )
    }

    fn add(&mut self, packet: Result<SavedMessage, Skipped>) {
        match packet {
            Ok(message) => self.messages.push(message),
            Err(skipped) => self.skipped.push(skipped),
        }
    }

    /// Packet Sender lists its packets by name ignoring case (`Packet::sortByName`).
    fn sorted(mut self) -> Imported {
        self.messages.sort_by_cached_key(|m| m.name.to_lowercase());
        self.skipped.sort_by_cached_key(|s| s.name.to_lowercase());
        self
    }
}

impl Skipped {
    /// "name: reason", in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        t!(
            lang,
            "import-skipped",
            name = self.name.as_str(),
            reason = self.reason.text(lang)
        )
    }
}

impl SkipReason {
    /// Why, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SkipReason::NotStored => t!(lang, "import-skip-not-stored"),
            SkipReason::NotAPacket => t!(lang, "import-skip-not-a-packet"),
            SkipReason::BadHex(error) => {
                t!(lang, "import-skip-bad-hex", problem = error.text(lang))
            }
            SkipReason::Kind(kind) => t!(lang, "import-skip-kind", kind = kind.as_str()),
            SkipReason::NoKind => t!(lang, "import-skip-no-kind"),
            SkipReason::NoPort => t!(lang, "import-skip-no-port"),
            SkipReason::BadPort(port) => t!(lang, "import-skip-bad-port", port = port.as_str()),
            SkipReason::BadAddress(address) => {
                t!(lang, "import-skip-bad-address", address = address.as_str())
            }
            SkipReason::RepeatNotANumber(value) => {
                t!(
                    lang,
                    "import-skip-repeat-not-a-number",
                    value = value.as_str()
                )
            }
            SkipReason::RepeatTooLong(value) => t!(
                lang,
                "import-skip-repeat-too-long",
                value = value.as_str(),
                max = MAX_REPEAT_SECONDS
            ),
        }
    }
}

impl ImportError {
    /// `LINE:COL: why`, in `lang` (the caller puts the file's name in front).
    pub fn text(&self, lang: Lang) -> String {
        format!("{}:{}: {}", self.line, self.column, self.problem.text(lang))
    }

    /// `FILE:LINE:COL: why`, in `lang`.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        format!("{file}:{}", self.text(lang))
    }
}

impl ImportProblem {
    /// Why, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ImportProblem::TooLarge { bytes } => t!(
                lang,
                "import-error-too-large",
                bytes = *bytes,
                max = MAX_FILE_BYTES
            ),
            ImportProblem::TooManyPackets => {
                t!(lang, "import-error-too-many", max = MAX_PACKETS)
            }
            ImportProblem::Empty => t!(lang, "import-error-empty"),
            ImportProblem::JsonSyntax(detail) => {
                t!(lang, "import-error-json-syntax", detail = detail.as_str())
            }
            ImportProblem::JsonEnds => t!(lang, "import-error-json-ends"),
            ImportProblem::JsonNotAList => t!(lang, "import-error-json-not-a-list"),
            ImportProblem::IniNoList => t!(lang, "import-error-ini-no-list"),
            ImportProblem::IniBadListSize(value) => {
                t!(lang, "import-error-ini-bad-size", value = value.as_str())
            }
            ImportProblem::IniSectionNotClosed => t!(lang, "import-error-ini-section-not-closed"),
            ImportProblem::IniNoEquals => t!(lang, "import-error-ini-no-equals"),
            ImportProblem::IniQuoteNotClosed => t!(lang, "import-error-ini-quote-not-closed"),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for ImportError {}

/// Either file: JSON when it opens with `{`, or with `[` not followed by a section name on
/// its line (`packets.ini` opens with `[NAMES]` or another section), INI otherwise.
pub fn import(text: &str) -> Result<Imported, ImportError> {
    let body = checked_body(text)?;
    if looks_like_json(body) {
        import_json(text)
    } else {
        import_ini(text)
    }
}

/// `packets.ini`, as `Packet::fetchAllfromDB` reads it.
pub fn import_ini(text: &str) -> Result<Imported, ImportError> {
    let body = checked_body(text)?;
    let listed = read_name_list(body)?;
    let stored = read_stored(body, &listed)?;
    let mut imported = Imported::default();
    for (index, listed_name) in listed.iter().enumerate() {
        let group = stored.group_of[index];
        if !stored.present[group] {
            imported.skipped.push(Skipped {
                name: display_name(Some(listed_name), index + 1),
                reason: SkipReason::NotStored,
            });
            continue;
        }
        imported.add(convert(index + 1, Some(listed_name), stored.fields(group)));
    }
    Ok(imported.sorted())
}

/// Packet Sender's JSON export, as `Packet::ImportJSON` reads it (keys matched ignoring
/// case, numbers taken as text or as numbers).
pub fn import_json(text: &str) -> Result<Imported, ImportError> {
    let body = checked_body(text)?;
    let start = body.len() - body.trim_start().len();
    if body[start..].starts_with('{') {
        return Err(error_at(body, start, ImportProblem::JsonNotAList));
    }
    let too_many = Cell::new(false);
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let items = (&mut deserializer)
        .deserialize_seq(JsonList {
            too_many: &too_many,
        })
        .and_then(|items| deserializer.end().map(|()| items))
        .map_err(|error| json_error(body, &error, too_many.get()))?;
    let mut imported = Imported::default();
    for (index, item) in items.into_iter().enumerate() {
        match item {
            JsonItem::Packet(fields) => imported.add(convert(index + 1, None, fields)),
            JsonItem::NotAPacket => imported.skipped.push(Skipped {
                name: display_name(None, index + 1),
                reason: SkipReason::NotAPacket,
            }),
        }
    }
    Ok(imported.sorted())
}

/// Never panics, never loops, memory bounded, for any input.
pub fn fuzz_one(text: &str) {
    for result in [import(text), import_ini(text), import_json(text)] {
        match result {
            Ok(imported) => {
                let _ = imported.summary(Lang::Zh);
                for skipped in &imported.skipped {
                    let _ = skipped.text(Lang::En);
                }
            }
            Err(error) => {
                let _ = error.render("fuzz", Lang::En);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// One packet, whichever file it came from

/// The keys read, as `Packet::saveToDB` names them; JSON has them in lower case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Field {
    Name,
    HexString,
    ToIp,
    Port,
    TcpOrUdp,
    Repeat,
}

impl Field {
    const ALL: [Field; 6] = [
        Field::Name,
        Field::HexString,
        Field::ToIp,
        Field::Port,
        Field::TcpOrUdp,
        Field::Repeat,
    ];

    fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::HexString => "hexString",
            Field::ToIp => "toIP",
            Field::Port => "port",
            Field::TcpOrUdp => "tcpOrUdp",
            Field::Repeat => "repeat",
        }
    }

    /// Ignoring case: JSON writes `hexstring`, and QSettings on Windows ignores case.
    fn from_key(key: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|field| field.key().eq_ignore_ascii_case(key))
    }
}

/// A value as read: text, a JSON number or a decoded `@Variant`, or something that is
/// neither (kept as written for the reason).
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    Unreadable(String),
}

#[derive(Default)]
struct Fields {
    values: [Option<Value>; 6],
}

impl Fields {
    fn set(&mut self, field: Field, value: Option<Value>) {
        self.values[field as usize] = value;
    }

    fn take(&mut self, field: Field) -> Option<Value> {
        self.values[field as usize].take()
    }
}

/// The text of a value, as Qt's `toString()` would give it (an unreadable value has none).
fn text_of(value: Option<Value>) -> Option<String> {
    match value? {
        Value::Text(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Unreadable(_) => None,
    }
}

/// The value as a reason quotes it.
fn shown(value: &Value) -> String {
    match value {
        Value::Text(text) | Value::Unreadable(text) => shorten(text.trim()),
        Value::Number(number) => shorten(&number.to_string()),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTED_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    cut.push('…');
    cut
}

/// The name as written, cut; `packet N` (N counts from 1 in the file) when it has none.
fn display_name(written: Option<&str>, index: usize) -> String {
    match written.filter(|name| !name.trim().is_empty()) {
        Some(name) => name.chars().take(MAX_NAME_CHARS).collect(),
        None => format!("packet {index}"),
    }
}

/// One packet to a message, or why not. `listed` is the INI's entry in its list of names,
/// used when the group has no `name` of its own.
fn convert(
    index: usize,
    listed: Option<&str>,
    mut fields: Fields,
) -> Result<SavedMessage, Skipped> {
    let written = text_of(fields.take(Field::Name)).filter(|name| !name.trim().is_empty());
    let name = display_name(written.as_deref().or(listed), index);
    let skip = |reason| Skipped {
        name: name.clone(),
        reason,
    };
    let transport = transport(text_of(fields.take(Field::TcpOrUdp))).map_err(skip)?;
    let hex = text_of(fields.take(Field::HexString)).unwrap_or_default();
    let bytes = codec::parse_hex(&hex).map_err(|error| skip(SkipReason::BadHex(error)))?;
    let destination =
        destination(fields.take(Field::ToIp), fields.take(Field::Port)).map_err(skip)?;
    let repeat_every_ms = repeat_ms(fields.take(Field::Repeat)).map_err(skip)?;
    Ok(SavedMessage {
        name,
        body: codec::to_hex(&bytes),
        format: BodyFormat::Hex,
        encoding: TextEncoding::Utf8,
        call: match transport {
            Transport::Tcp => SendCall::Send,
            Transport::Udp => SendCall::SendTo,
        },
        destination,
        transport: Some(transport),
        repeat_every_ms,
    })
}

/// `tcpOrUdp` as `Packet::isHTTP`, `isUDP`, `isDTLS`, `isSSL` and `isTCP` test it (trimmed,
/// lower case; SSL also counts as TCP there, so it is tested first).
fn transport(kind: Option<String>) -> Result<Transport, SkipReason> {
    let written = kind.unwrap_or_default();
    let written = written.trim();
    let lower = written.to_lowercase();
    if lower.is_empty() {
        return Err(SkipReason::NoKind);
    }
    if lower == "udp" {
        return Ok(Transport::Udp);
    }
    let other = lower.contains("http") || lower == "dtls" || lower.contains("ssl");
    if !other && lower.contains("tcp") {
        return Ok(Transport::Tcp);
    }
    Err(SkipReason::Kind(shorten(written)))
}

/// `toIP` and `port` as the composer's destination field writes them: `host:port`,
/// `[v6]:port`. No address: the composer's own destination.
fn destination(to_ip: Option<Value>, port: Option<Value>) -> Result<String, SkipReason> {
    let host = text_of(to_ip).unwrap_or_default();
    // Packet Sender trims the address when it saves a packet.
    let host = host.trim();
    if host.is_empty() {
        return Ok(String::new());
    }
    let bad_host = host.chars().count() > MAX_HOST_CHARS
        || host.chars().any(|ch| ch.is_whitespace() || ch.is_control());
    if bad_host {
        return Err(SkipReason::BadAddress(shorten(host)));
    }
    let port = match port {
        None => return Err(SkipReason::NoPort),
        Some(Value::Text(text)) if text.trim().is_empty() => return Err(SkipReason::NoPort),
        Some(value) => {
            let number = match &value {
                Value::Text(text) => text.trim().parse::<u16>().ok(),
                Value::Number(number) if number.fract() == 0.0 && *number >= 0.0 => {
                    u16::try_from(*number as u64).ok()
                }
                _ => None,
            };
            match number {
                Some(port) if port > 0 => port,
                _ => return Err(SkipReason::BadPort(shown(&value))),
            }
        }
    };
    if host.contains(':') && !host.starts_with('[') {
        Ok(format!("[{host}]:{port}"))
    } else {
        Ok(format!("{host}:{port}"))
    }
}

/// `repeat`, a float of seconds, to milliseconds. Zero or less: once, as Packet Sender
/// resends only `if (repeat > 0)`; a positive interval stays at least 1 ms; NaN, infinity,
/// text that is no number and more than a day skip the packet (an absurd interval is more
/// likely a broken file than a wish, and it is shown rather than guessed at).
fn repeat_ms(repeat: Option<Value>) -> Result<u64, SkipReason> {
    let seconds = match &repeat {
        None => return Ok(0),
        Some(Value::Number(number)) => *number,
        Some(Value::Text(text)) if text.trim().is_empty() => return Ok(0),
        Some(Value::Text(text)) => text.trim().parse::<f64>().unwrap_or(f64::NAN),
        Some(Value::Unreadable(_)) => f64::NAN,
    };
    let shown_value = || repeat.as_ref().map(shown).unwrap_or_default();
    if !seconds.is_finite() {
        return Err(SkipReason::RepeatNotANumber(shown_value()));
    }
    if seconds <= 0.0 {
        return Ok(0);
    }
    if seconds > MAX_REPEAT_SECONDS as f64 {
        return Err(SkipReason::RepeatTooLong(shown_value()));
    }
    // At most 86,400,000: fits; rounding undoes a float's 0.100000001.
    Ok(((seconds * 1000.0).round() as u64).max(1))
}

// ---------------------------------------------------------------------------------------
// Files and positions

fn checked_body(text: &str) -> Result<&str, ImportError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ImportError {
            line: 1,
            column: 1,
            problem: ImportProblem::TooLarge { bytes: text.len() },
        });
    }
    // QSettings skips a UTF-8 byte order mark; so does this, for both formats.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(ImportError {
            line: 1,
            column: 1,
            problem: ImportProblem::Empty,
        });
    }
    Ok(body)
}

fn looks_like_json(body: &str) -> bool {
    let rest = body.trim_start();
    if rest.starts_with('{') {
        return true;
    }
    let Some(after) = rest.strip_prefix('[') else {
        return false;
    };
    let first_line = after.split(['\n', '\r']).next().unwrap_or_default();
    match first_line.split_once(']') {
        Some((inside, tail)) => {
            let inside = inside.trim();
            let tail = tail.trim();
            let section = !inside.is_empty()
                && !inside.contains(['"', '{', '[', ','])
                && (tail.is_empty() || tail.starts_with(';'));
            !section
        }
        None => true,
    }
}

/// The 1-based line and character column of a byte offset (`\n`, `\r\n` and a lone `\r`
/// end a line, as in QSettings).
fn position_at(body: &str, offset: usize) -> (usize, usize) {
    let bytes = body.as_bytes();
    let offset = offset.min(bytes.len());
    let mut line = 1;
    let mut line_start = 0;
    let mut index = 0;
    while index < offset {
        match bytes[index] {
            b'\n' => {
                line += 1;
                line_start = index + 1;
            }
            b'\r' if bytes.get(index + 1) != Some(&b'\n') => {
                line += 1;
                line_start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    let column = body
        .get(line_start..offset)
        .map_or(0, |text| text.chars().count());
    (line, column + 1)
}

fn error_at(body: &str, offset: usize, problem: ImportProblem) -> ImportError {
    let (line, column) = position_at(body, offset);
    ImportError {
        line,
        column,
        problem,
    }
}

// ---------------------------------------------------------------------------------------
// JSON

fn json_error(body: &str, error: &serde_json::Error, too_many: bool) -> ImportError {
    use serde_json::error::Category;
    let problem = if too_many {
        ImportProblem::TooManyPackets
    } else {
        match error.classify() {
            Category::Eof => ImportProblem::JsonEnds,
            // The visitors below take anything inside the list: only the top can mismatch.
            Category::Data => ImportProblem::JsonNotAList,
            Category::Syntax | Category::Io => {
                let words = error.to_string();
                let detail = words
                    .rsplit_once(" at line ")
                    .map_or(words.as_str(), |(detail, _)| detail);
                ImportProblem::JsonSyntax(detail.to_string())
            }
        }
    };
    // serde_json counts lines by `\n` and columns in bytes; columns here are characters.
    let line = error.line().max(1);
    let line_start = match line.checked_sub(2) {
        Some(breaks_before) => body
            .match_indices('\n')
            .nth(breaks_before)
            .map_or(body.len(), |(index, _)| index + 1),
        None => 0,
    };
    let line_text = body
        .get(line_start..)
        .and_then(|rest| rest.split('\n').next())
        .unwrap_or_default();
    let mut end = error.column().saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    ImportError {
        line,
        column: line_text[..end].chars().count() + 1,
        problem,
    }
}

struct JsonList<'a> {
    too_many: &'a Cell<bool>,
}

impl<'de> Visitor<'de> for JsonList<'_> {
    type Value = Vec<JsonItem>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of packets")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<JsonItem>()? {
            if items.len() == MAX_PACKETS {
                self.too_many.set(true);
                return Err(de::Error::custom("too many packets"));
            }
            items.push(item);
        }
        Ok(items)
    }
}

/// One entry of the list: the keys read, or something that is no packet. Whatever else it
/// holds is skipped without being kept (serde's `IgnoredAny`).
enum JsonItem {
    Packet(Fields),
    NotAPacket,
}

impl<'de> Deserialize<'de> for JsonItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = JsonItem;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a packet")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonItem, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            match Field::from_key(&key) {
                Some(field) => fields.set(field, map.next_value::<JsonScalar>()?.0),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(JsonItem::Packet(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonItem, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(JsonItem::NotAPacket)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonItem, E> {
        Ok(JsonItem::NotAPacket)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonItem, E> {
        Ok(JsonItem::NotAPacket)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonItem, E> {
        Ok(JsonItem::NotAPacket)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonItem, E> {
        Ok(JsonItem::NotAPacket)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonItem, E> {
        Ok(JsonItem::NotAPacket)
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonItem, E> {
        Ok(JsonItem::NotAPacket)
    }
}

/// A key's value: text or a number; `null` is none; a list or an object is unreadable.
struct JsonScalar(Option<Value>);

impl<'de> Deserialize<'de> for JsonScalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = JsonScalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonScalar, E> {
        Ok(JsonScalar(Some(Value::Text(v.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<JsonScalar, E> {
        Ok(JsonScalar(Some(Value::Text(v))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonScalar, E> {
        Ok(JsonScalar(Some(Value::Number(v as f64))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonScalar, E> {
        Ok(JsonScalar(Some(Value::Number(v as f64))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonScalar, E> {
        Ok(JsonScalar(Some(Value::Number(v))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<JsonScalar, E> {
        Ok(JsonScalar(Some(Value::Unreadable(v.to_string()))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonScalar, E> {
        Ok(JsonScalar(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonScalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(JsonScalar(Some(Value::Unreadable("[…]".into()))))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonScalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(JsonScalar(Some(Value::Unreadable("{…}".into()))))
    }
}

// ---------------------------------------------------------------------------------------
// QSettings INI

/// One `key=value`: the key as QSettings looks it up (section and key unescaped, slashes
/// normalised), the value as written, and where its line starts.
struct IniEntry<'a> {
    key: String,
    value: &'a str,
    at: usize,
}

/// A logical line as QSettings' `readIniLine` finds it: byte range and the first `=`
/// outside quotes.
struct RawLine {
    start: usize,
    end: usize,
    equals: Option<usize>,
}

/// White space as QSettings' reader skips it between lines.
fn is_ini_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// The next logical line from `*pos`, as `QConfFileSettingsPrivate::readIniLine` reads it:
/// quotes may span lines, `\` takes the next character (a line break too), `;` starts a
/// comment. Err: the offset of a quote never closed. Every call moves `*pos` forward.
fn read_line(data: &[u8], pos: &mut usize) -> Result<Option<RawLine>, usize> {
    let len = data.len();
    let mut start = *pos;
    while start < len && is_ini_space(data[start]) {
        start += 1;
    }
    let mut i = start;
    let mut in_quotes = false;
    let mut quote_at = start;
    let mut equals = None;
    while i < len {
        let ch = data[i];
        i += 1;
        match ch {
            b'=' if !in_quotes && equals.is_none() => equals = Some(i - 1),
            b'\n' | b'\r' if !in_quotes => {
                i -= 1;
                break;
            }
            b'\\' if i < len => {
                let next = data[i];
                i += 1;
                let pair = data.get(i).is_some_and(|&after| {
                    (next == b'\n' && after == b'\r') || (next == b'\r' && after == b'\n')
                });
                if pair {
                    i += 1;
                }
            }
            b'"' => {
                in_quotes = !in_quotes;
                if in_quotes {
                    quote_at = i - 1;
                }
            }
            b';' if i == start + 1 => {
                while i < len && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
                while i < len && is_ini_space(data[i]) {
                    i += 1;
                }
                start = i;
            }
            b';' if !in_quotes => {
                i -= 1;
                break;
            }
            _ => {}
        }
    }
    *pos = i;
    if in_quotes {
        return Err(quote_at);
    }
    Ok((i > start).then_some(RawLine {
        start,
        end: i,
        equals,
    }))
}

/// Every `key=value` of the file in order, or where the file is malformed.
fn scan_ini<'a>(body: &'a str, mut each: impl FnMut(IniEntry<'a>)) -> Result<(), ImportError> {
    let data = body.as_bytes();
    let mut pos = 0;
    let mut section = String::new();
    loop {
        let line = match read_line(data, &mut pos) {
            Ok(Some(line)) => line,
            Ok(None) => return Ok(()),
            Err(quote_at) => {
                return Err(error_at(body, quote_at, ImportProblem::IniQuoteNotClosed));
            }
        };
        // Offsets are at ASCII bytes or the end, so these slices fall on characters.
        let text = &body[line.start..line.end];
        if let Some(inside) = text.strip_prefix('[') {
            let Some(close) = inside.find(']') else {
                return Err(error_at(
                    body,
                    line.start,
                    ImportProblem::IniSectionNotClosed,
                ));
            };
            section = section_prefix(inside[..close].trim_matches(is_qt_space));
            continue;
        }
        let Some(equals) = line.equals else {
            // QSettings reads on past such a line (and flags the file); a `#` comment
            // written by hand is let through, anything else is a broken file.
            if text.starts_with('#') {
                continue;
            }
            return Err(error_at(body, line.start, ImportProblem::IniNoEquals));
        };
        let key = body[line.start..equals].trim_matches(is_qt_space);
        each(IniEntry {
            key: normalize_key(&format!("{section}{}", unescape_key(key))),
            value: &body[equals + 1..line.end],
            at: line.start,
        });
    }
}

/// `QByteArray::trimmed`'s white space.
fn is_qt_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// A section header's name as a key prefix: `[General]` is no prefix, `[%General]` is a
/// group named General.
fn section_prefix(inside: &str) -> String {
    if inside.eq_ignore_ascii_case("general") {
        return String::new();
    }
    let name = if inside.eq_ignore_ascii_case("%general") {
        inside[1..].to_string()
    } else {
        unescape_key(inside)
    };
    format!("{name}/")
}

/// QSettings' `normalizedKey`: no empty parts between slashes.
fn normalize_key(key: &str) -> String {
    key.split('/')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

fn hex_digit(byte: u8) -> Option<u16> {
    (byte as char).to_digit(16).map(|digit| digit as u16)
}

/// QSettings' `iniUnescapedKey`: `\` is `/`, `%XX` and `%UXXXX` are UTF-16 code units
/// (a character outside the BMP is two), a `%` that starts neither stays.
fn unescape_key(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut out: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                out.push(u16::from(b'/'));
                i += 1;
            }
            b'%' if i + 1 < bytes.len() => {
                let (first, count) = if bytes[i + 1] == b'U' {
                    (i + 2, 4)
                } else {
                    (i + 1, 2)
                };
                let unit = bytes.get(first..first + count).and_then(|digits| {
                    digits
                        .iter()
                        .try_fold(0u16, |unit, &d| Some(unit << 4 | hex_digit(d)?))
                });
                match unit {
                    Some(unit) => {
                        out.push(unit);
                        i = first + count;
                    }
                    None => {
                        out.push(u16::from(b'%'));
                        i += 1;
                    }
                }
            }
            _ => {
                let run = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'\\' || b == b'%')
                    .map_or(bytes.len(), |at| i + 1 + at);
                out.extend(key[i..run].encode_utf16());
                i = run;
            }
        }
    }
    String::from_utf16_lossy(&out)
}

/// The escapes of QSettings' `iniUnescapedStringList` that stand for one character.
fn simple_escape(byte: u8) -> Option<u16> {
    let unit = match byte {
        b'a' => 0x07,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => u16::from(b'\n'),
        b'r' => u16::from(b'\r'),
        b't' => u16::from(b'\t'),
        b'v' => 0x0b,
        b'"' | b'?' | b'\'' | b'\\' => u16::from(byte),
        _ => return None,
    };
    Some(unit)
}

/// A value as QSettings' `iniUnescapedStringList` reads it: quotes, C escapes (`\xNNNN` and
/// octal as UTF-16 units, which is how Qt 5 wrote non-ASCII text), trailing blanks of an
/// unquoted value dropped. Commas are kept (Qt would read an unquoted `a, b` as a list;
/// QSettings quotes every value with a comma, so only a hand-edited file has one).
fn unescape_value(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let len = bytes.len();
    let mut out: Vec<u16> = Vec::with_capacity(len);
    let mut i = 0;
    let mut in_quotes = false;
    let mut quoted = false;
    let mut keep = 0; // units before this are never chopped
    let skip_blanks = |mut i: usize| {
        while i < len && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    i = skip_blanks(i);
    while i < len {
        match bytes[i] {
            b'\\' => {
                i = unescape_one(raw, i + 1, &mut out);
                keep = out.len();
            }
            b'"' => {
                i += 1;
                quoted = true;
                in_quotes = !in_quotes;
                if !in_quotes {
                    i = skip_blanks(i);
                }
                keep = out.len();
            }
            _ => {
                let run = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'\\' || b == b'"')
                    .map_or(len, |at| i + 1 + at);
                out.extend(raw[i..run].encode_utf16());
                i = run;
            }
        }
    }
    if !quoted {
        while out.len() > keep && matches!(out.last(), Some(&0x20 | &0x09)) {
            out.pop();
        }
    }
    String::from_utf16_lossy(&out)
}

/// One escape after a `\` at `i - 1`; returns where reading goes on.
fn unescape_one(raw: &str, mut i: usize, out: &mut Vec<u16>) -> usize {
    let bytes = raw.as_bytes();
    let Some(&ch) = bytes.get(i) else {
        return i;
    };
    i += 1;
    if let Some(unit) = simple_escape(ch) {
        out.push(unit);
        return i;
    }
    match ch {
        b'x' if bytes.get(i).and_then(|&b| hex_digit(b)).is_some() => {
            let mut unit: u16 = 0;
            while let Some(digit) = bytes.get(i).and_then(|&b| hex_digit(b)) {
                unit = unit.wrapping_shl(4) | digit;
                i += 1;
            }
            out.push(unit);
        }
        b'0'..=b'7' => {
            let mut unit = u16::from(ch - b'0');
            while let Some(&digit @ b'0'..=b'7') = bytes.get(i) {
                unit = unit.wrapping_shl(3) | u16::from(digit - b'0');
                i += 1;
            }
            out.push(unit);
        }
        b'\n' | b'\r' => {
            // A line continued: `\` and the break (`\r\n` or `\n\r` as one) stand for nothing.
            if let Some(&next @ (b'\n' | b'\r')) = bytes.get(i)
                && next != ch
            {
                i += 1;
            }
        }
        _ => {
            // Qt drops an unknown escape's character; a whole character, so `i` stays on one.
            while i < bytes.len() && !raw.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    i
}

/// QSettings' `stringToVariant`, for what Packet Sender stores: `@@x` is `@x`, `@Invalid()`
/// is nothing, `@Variant(...)` holds a QDataStream value (Qt 5's float repeat).
fn to_variant(text: String) -> Option<Value> {
    if !text.starts_with('@') {
        return Some(Value::Text(text));
    }
    if text.starts_with("@@") {
        return Some(Value::Text(text[1..].to_string()));
    }
    if !text.ends_with(')') {
        return Some(Value::Text(text));
    }
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .map(|rest| &rest[..rest.len() - 1])
    };
    if text == "@Invalid()" {
        None
    } else if let Some(inside) = inner("@Variant(") {
        Some(decode_variant(inside).unwrap_or_else(|| Value::Unreadable(text.clone())))
    } else if let Some(inside) = inner("@ByteArray(").or_else(|| inner("@String(")) {
        Some(Value::Text(inside.to_string()))
    } else {
        Some(Value::Unreadable(text))
    }
}

/// A QVariant streamed with `QDataStream::Qt_4_0` (as `variantToString` does): a
/// big-endian type id in Qt 4's numbering, then the value; only numbers and text are read.
fn decode_variant(inside: &str) -> Option<Value> {
    let bytes: Vec<u8> = inside
        .chars()
        .map(|ch| u8::try_from(u32::from(ch)).ok())
        .collect::<Option<_>>()?;
    let (kind, rest) = bytes.split_first_chunk::<4>()?;
    let number = match u32::from_be_bytes(*kind) {
        // QMetaType::Float in Qt 4's numbering (38 + 97): Packet::repeat is a float.
        135 => f64::from(f32::from_be_bytes(*rest.first_chunk::<4>()?)),
        6 => f64::from_be_bytes(*rest.first_chunk::<8>()?),
        2 => f64::from(i32::from_be_bytes(*rest.first_chunk::<4>()?)),
        3 => f64::from(u32::from_be_bytes(*rest.first_chunk::<4>()?)),
        4 => i64::from_be_bytes(*rest.first_chunk::<8>()?) as f64,
        5 => u64::from_be_bytes(*rest.first_chunk::<8>()?) as f64,
        10 => {
            let (length, text) = rest.split_first_chunk::<4>()?;
            let length = u32::from_be_bytes(*length);
            if length == u32::MAX {
                return Some(Value::Text(String::new()));
            }
            let text = text.get(..usize::try_from(length).ok()?)?;
            let units: Vec<u16> = text
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            return Some(Value::Text(String::from_utf16_lossy(&units)));
        }
        _ => return None,
    };
    Some(Value::Number(number))
}

fn ini_value(raw: &str) -> Option<Value> {
    to_variant(unescape_value(raw))
}

/// A QSettings array index as `setArrayIndex` writes it: 1, 2, ... (no leading zeros).
fn array_index(text: &str) -> Option<usize> {
    if text.starts_with('0') || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse()
        .ok()
        .filter(|index| (1..=MAX_PACKETS).contains(index))
}

/// The list of names (`NAMES/size`, `NAMES/<i>/name`), as `beginReadArray` reads it; a
/// missing entry is an empty name.
fn read_name_list(body: &str) -> Result<Vec<String>, ImportError> {
    let mut size: Option<(String, usize)> = None;
    let mut names: HashMap<usize, String> = HashMap::new();
    scan_ini(body, |entry| {
        let Some(rest) = entry
            .key
            .get(..6)
            .filter(|head| head.eq_ignore_ascii_case("NAMES/"))
            .map(|_| &entry.key[6..])
        else {
            return;
        };
        if rest.eq_ignore_ascii_case("size") {
            let text = text_of(ini_value(entry.value)).unwrap_or_default();
            size = Some((text, entry.at));
        } else if let Some((number, field)) = rest.split_once('/')
            && field.eq_ignore_ascii_case("name")
            && let Some(index) = array_index(number)
        {
            names.insert(index, text_of(ini_value(entry.value)).unwrap_or_default());
        }
    })?;
    let Some((size, at)) = size else {
        return Err(error_at(body, 0, ImportProblem::IniNoList));
    };
    let count: i64 = size
        .trim()
        .parse()
        .map_err(|_| error_at(body, at, ImportProblem::IniBadListSize(shorten(&size))))?;
    if count > MAX_PACKETS as i64 {
        return Err(error_at(body, at, ImportProblem::TooManyPackets));
    }
    // A negative size reads no names, as QSettings' loop does.
    let count = usize::try_from(count).unwrap_or(0);
    Ok((1..=count)
        .map(|index| names.remove(&index).unwrap_or_default())
        .collect())
}

/// The values stored under each listed name (`<name>/<key>`), kept as written until used.
/// Only the keys read are kept, at most one per group and key (the last one wins, as in a
/// QSettings map), so memory follows the list, not the file.
struct Stored<'a> {
    /// For each listed packet, its group (names listed twice share one).
    group_of: Vec<usize>,
    /// Whether the file has any key under the group.
    present: Vec<bool>,
    /// Group and key spelled as Packet Sender spells them.
    exact: HashMap<(usize, Field), &'a str>,
    /// Matched ignoring case, as QSettings on Windows reads.
    folded: HashMap<(usize, Field), &'a str>,
}

impl Stored<'_> {
    fn fields(&self, group: usize) -> Fields {
        let mut fields = Fields::default();
        for field in Field::ALL {
            let raw = self
                .exact
                .get(&(group, field))
                .or_else(|| self.folded.get(&(group, field)));
            fields.set(field, raw.and_then(|raw| ini_value(raw)));
        }
        fields
    }
}

fn read_stored<'a>(body: &'a str, listed: &[String]) -> Result<Stored<'a>, ImportError> {
    let mut groups: HashMap<String, usize> = HashMap::new();
    let mut folded_groups: HashMap<String, usize> = HashMap::new();
    let mut group_of = Vec::with_capacity(listed.len());
    for name in listed {
        // `settings.value(name + "/hexString")`: QSettings normalises the whole key.
        let key = normalize_key(name);
        let next = groups.len();
        let group = *groups.entry(key.clone()).or_insert(next);
        folded_groups.entry(key.to_lowercase()).or_insert(group);
        group_of.push(group);
    }
    let mut stored = Stored {
        group_of,
        present: vec![false; groups.len()],
        exact: HashMap::new(),
        folded: HashMap::new(),
    };
    scan_ini(body, |entry| {
        let (group, key) = entry
            .key
            .rsplit_once('/')
            .unwrap_or(("", entry.key.as_str()));
        let exact_group = groups.get(group).copied();
        let Some(index) = exact_group.or_else(|| folded_groups.get(&group.to_lowercase()).copied())
        else {
            return;
        };
        stored.present[index] = true;
        if let Some(field) = Field::from_key(key) {
            if exact_group.is_some() && field.key() == key {
                stored.exact.insert((index, field), entry.value);
            } else {
                stored.folded.insert((index, field), entry.value);
            }
        }
    })?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PACKETS_INI: &str = include_str!("../../tests/fixtures/packet_sender/packets.ini");
    const PACKETS_JSON: &str = include_str!("../../tests/fixtures/packet_sender/packets.json");
    const PACKETS_QT5_INI: &str =
        include_str!("../../tests/fixtures/packet_sender/packets_qt5.ini");

    fn message(imported: &Imported, name: &str) -> SavedMessage {
        imported
            .messages
            .iter()
            .find(|m| m.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no message {name:?} in {imported:#?}"))
    }

    fn reason(imported: &Imported, name: &str) -> SkipReason {
        imported
            .skipped
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| panic!("{name:?} not skipped in {imported:#?}"))
    }

    fn names(imported: &Imported) -> Vec<&str> {
        imported.messages.iter().map(|m| m.name.as_str()).collect()
    }

    /// The fixtures' six TCP/UDP packets, as both files must give them.
    fn check_fixture_packets(imported: &Imported) {
        assert_eq!(
            names(imported),
            [
                "50% duty, v2",
                "Heartbeat",
                "in/out",
                "Modbus read",
                "UDP hello",
                "读取寄存器"
            ]
        );
        let modbus = message(imported, "Modbus read");
        assert_eq!(
            modbus,
            SavedMessage {
                name: "Modbus read".into(),
                body: "00 01 00 00 00 06 01 03 00 00 00 0a".into(),
                format: BodyFormat::Hex,
                encoding: TextEncoding::Utf8,
                call: SendCall::Send,
                destination: "192.168.1.10:502".into(),
                transport: Some(Transport::Tcp),
                repeat_every_ms: 0,
            }
        );
        let hello = message(imported, "UDP hello");
        assert_eq!(hello.call, SendCall::SendTo);
        assert_eq!(hello.transport, Some(Transport::Udp));
        assert_eq!(hello.destination, "127.0.0.1:9000");
        assert_eq!(hello.body, "48 65 6c 6c 6f 0d 0a");
        let heartbeat = message(imported, "Heartbeat");
        assert_eq!(heartbeat.destination, "[::1]:5000");
        assert_eq!(heartbeat.repeat_every_ms, 2500);
        let duty = message(imported, "50% duty, v2");
        assert_eq!(duty.destination, "10.0.0.2:8080");
        assert_eq!(duty.call, SendCall::Send);
        let chinese = message(imported, "读取寄存器");
        assert_eq!(chinese.repeat_every_ms, 500);
        assert_eq!(chinese.body, "01 03 00 00 00 01 84 0a");
        assert_eq!(message(imported, "in/out").destination, "127.0.0.1:9001");

        assert_eq!(
            reason(imported, "SSL hello"),
            SkipReason::Kind("SSL".into())
        );
        assert_eq!(
            reason(imported, "HTTPS post"),
            SkipReason::Kind("HTTPS Post".into())
        );
        assert!(matches!(
            reason(imported, "Bad hex"),
            SkipReason::BadHex(InputError {
                problem: codec::InputProblem::OddHexDigits,
                ..
            })
        ));
        assert_eq!(imported.skipped.len(), 3);
    }

    #[test]
    fn the_ini_file_gives_its_tcp_and_udp_packets() {
        let imported = import_ini(PACKETS_INI).unwrap();
        check_fixture_packets(&imported);
        assert_eq!(import(PACKETS_INI).unwrap(), imported);
    }

    #[test]
    fn the_json_export_gives_the_same_packets() {
        let imported = import_json(PACKETS_JSON).unwrap();
        check_fixture_packets(&imported);
        assert_eq!(import(PACKETS_JSON).unwrap(), imported);
        assert_eq!(imported, import_ini(PACKETS_INI).unwrap());
    }

    #[test]
    fn windows_line_endings_and_a_byte_order_mark_read_the_same() {
        let crlf = format!("\u{feff}{}", PACKETS_INI.replace('\n', "\r\n"));
        assert_eq!(import(&crlf).unwrap(), import(PACKETS_INI).unwrap());
        let crlf = format!("\u{feff}{}", PACKETS_JSON.replace('\n', "\r\n"));
        assert_eq!(import(&crlf).unwrap(), import(PACKETS_JSON).unwrap());
    }

    #[test]
    fn a_qt5_file_gives_its_variant_repeats_and_escaped_names() {
        let imported = import(PACKETS_QT5_INI).unwrap();
        assert_eq!(names(&imported), ["Once", "Ping 0.1s", "开始"]);
        assert!(imported.skipped.is_empty());
        let ping = message(&imported, "Ping 0.1s");
        assert_eq!(ping.repeat_every_ms, 100);
        assert_eq!(ping.body, "70 69 6e 67");
        assert_eq!(ping.destination, "127.0.0.1:7");
        assert_eq!(message(&imported, "开始").repeat_every_ms, 1000);
        assert_eq!(message(&imported, "开始").destination, "192.168.0.7:5000");
        assert_eq!(message(&imported, "Once").repeat_every_ms, 0);
        assert_eq!(message(&imported, "Once").destination, "[::1]:6000");
    }

    /// One packet in an INI file, with `keys` in its group.
    fn ini_with(name: &str, keys: &str) -> String {
        format!("[NAMES]\n1\\name={name}\nsize=1\n\n[{name}]\n{keys}")
    }

    fn one_ini(name: &str, keys: &str) -> Result<SavedMessage, SkipReason> {
        let imported = import_ini(&ini_with(name, keys)).unwrap();
        match (imported.messages.first(), imported.skipped.first()) {
            (Some(message), None) => Ok(message.clone()),
            (None, Some(skipped)) => Err(skipped.reason.clone()),
            other => panic!("{other:?}"),
        }
    }

    const UDP_KEYS: &str = "toIP=127.0.0.1\nport=9000\ntcpOrUdp=UDP\nhexString=41\n";

    #[test]
    fn every_kind_but_tcp_and_udp_is_skipped_naming_it() {
        for (kind, expected) in [
            ("TCP", Ok(Transport::Tcp)),
            ("tcp", Ok(Transport::Tcp)),
            (" UDP ", Ok(Transport::Udp)),
            ("SSL", Err(SkipReason::Kind("SSL".into()))),
            ("DTLS", Err(SkipReason::Kind("DTLS".into()))),
            ("HTTP Get", Err(SkipReason::Kind("HTTP Get".into()))),
            ("HTTPS Post", Err(SkipReason::Kind("HTTPS Post".into()))),
            ("TCP (persistent)", Ok(Transport::Tcp)),
            (
                "Carrier pigeon",
                Err(SkipReason::Kind("Carrier pigeon".into())),
            ),
            ("", Err(SkipReason::NoKind)),
        ] {
            let keys = format!("toIP=127.0.0.1\nport=9\ntcpOrUdp={kind}\nhexString=41\n");
            let got = one_ini("p", &keys).map(|m| m.transport.unwrap());
            assert_eq!(got, expected, "{kind:?}");
        }
    }

    #[test]
    fn repeat_seconds_become_milliseconds_and_absurd_ones_are_skipped() {
        for (repeat, expected) in [
            ("", Ok(0)),
            ("0", Ok(0)),
            ("-3", Ok(0)),
            ("0.1", Ok(100)),
            ("1.5", Ok(1500)),
            ("0.0001", Ok(1)),
            ("86400", Ok(86_400_000)),
            ("86401", Err(SkipReason::RepeatTooLong("86401".into()))),
            ("1e300", Err(SkipReason::RepeatTooLong("1e300".into()))),
            ("nan", Err(SkipReason::RepeatNotANumber("nan".into()))),
            ("inf", Err(SkipReason::RepeatNotANumber("inf".into()))),
            ("soon", Err(SkipReason::RepeatNotANumber("soon".into()))),
            ("@Invalid()", Ok(0)),
            ("@Variant(\\0\\0\\0\\x6@\\x4\\0\\0\\0\\0\\0\\0)", Ok(2500)),
        ] {
            let keys = format!("{UDP_KEYS}repeat={repeat}\n");
            let got = one_ini("p", &keys).map(|m| m.repeat_every_ms);
            assert_eq!(got, expected, "{repeat:?}");
        }
    }

    #[test]
    fn json_repeat_is_a_number_or_text() {
        let json = r#"[{"name":"a","tcporudp":"UDP","toip":"h","port":"1","repeat":0.10000000149011612},
                       {"name":"b","tcporudp":"UDP","toip":"h","port":1,"repeat":"2"},
                       {"name":"c","tcporudp":"UDP","toip":"h","port":"1","repeat":-1}]"#;
        let imported = import(json).unwrap();
        assert_eq!(message(&imported, "a").repeat_every_ms, 100);
        assert_eq!(message(&imported, "b").repeat_every_ms, 2000);
        assert_eq!(message(&imported, "b").destination, "h:1");
        assert_eq!(message(&imported, "c").repeat_every_ms, 0);
    }

    #[test]
    fn addresses_and_ports_become_the_composers_destination() {
        let keys =
            |ip: &str, port: &str| format!("toIP={ip}\nport={port}\ntcpOrUdp=UDP\nhexString=41\n");
        let destination =
            |ip: &str, port: &str| one_ini("p", &keys(ip, port)).map(|m| m.destination);
        assert_eq!(
            destination("192.168.1.10", "502"),
            Ok("192.168.1.10:502".into())
        );
        assert_eq!(destination("::1", "502"), Ok("[::1]:502".into()));
        assert_eq!(destination("[::1]", "502"), Ok("[::1]:502".into()));
        assert_eq!(
            destination("fe80::1%eth0", "7"),
            Ok("[fe80::1%eth0]:7".into())
        );
        assert_eq!(destination("dns.google", "53"), Ok("dns.google:53".into()));
        assert_eq!(destination("", "53"), Ok(String::new()));
        assert_eq!(destination("10.0.0.1", ""), Err(SkipReason::NoPort));
        assert_eq!(
            destination("10.0.0.1", "0"),
            Err(SkipReason::BadPort("0".into()))
        );
        assert_eq!(
            destination("10.0.0.1", "65536"),
            Err(SkipReason::BadPort("65536".into()))
        );
        assert_eq!(
            destination("10.0.0.1", "http"),
            Err(SkipReason::BadPort("http".into()))
        );
        assert_eq!(
            destination("\"a b\"", "1"),
            Err(SkipReason::BadAddress("a b".into()))
        );
        let long = "h".repeat(300);
        assert!(matches!(
            destination(&long, "1"),
            Err(SkipReason::BadAddress(_))
        ));
    }

    #[test]
    fn hex_is_written_as_the_composers_hex_field_writes_it() {
        let body = |hex: &str| {
            let keys = format!("toIP=h\nport=1\ntcpOrUdp=UDP\nhexString={hex}\n");
            one_ini("p", &keys).map(|m| m.body)
        };
        assert_eq!(body("\"48 65 6C 6C 6F \""), Ok("48 65 6c 6c 6f".into()));
        assert_eq!(body("48656c"), Ok("48 65 6c".into()));
        assert_eq!(body(""), Ok(String::new()));
        assert!(matches!(
            body("48 zz"),
            Err(SkipReason::BadHex(InputError {
                problem: codec::InputProblem::NotHexDigit('z'),
                ..
            }))
        ));
    }

    #[test]
    fn names_are_kept_as_written_cut_or_numbered() {
        let ini = "[NAMES]\n1\\name=\nsize=3\n2\\name=tab\\there\n3\\name=@@at\n\n\
                   [General]\ntoIP=h\nport=1\ntcpOrUdp=UDP\n\n\
                   [tab%09here]\ntoIP=h\nport=1\ntcpOrUdp=UDP\n\n\
                   [%40at]\nname=@@at\ntoIP=h\nport=1\ntcpOrUdp=UDP\n";
        let imported = import_ini(ini).unwrap();
        assert_eq!(names(&imported), ["@at", "packet 1", "tab\there"]);

        let long = "x".repeat(500);
        let json = format!(
            r#"[{{"name":"{long}","tcporudp":"UDP"}},{{"tcporudp":"UDP"}},{{"name":"  ","tcporudp":"UDP"}},{{"name":"dup","tcporudp":"UDP"}},{{"name":"dup","tcporudp":"UDP"}}]"#
        );
        let imported = import_json(&json).unwrap();
        let got = names(&imported);
        assert_eq!(got[0], "dup");
        assert_eq!(got[1], "dup");
        assert_eq!(got[2], "packet 2");
        assert_eq!(got[3], "packet 3");
        assert_eq!(got[4].chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn a_listed_name_without_keys_and_a_non_object_are_skipped() {
        let ini = "[NAMES]\n1\\name=ghost\n2\\name=real\nsize=2\n\n[real]\ntcpOrUdp=UDP\n";
        let imported = import_ini(ini).unwrap();
        assert_eq!(names(&imported), ["real"]);
        assert_eq!(reason(&imported, "ghost"), SkipReason::NotStored);

        let imported =
            import_json(r#"[7, {"name":"ok","tcporudp":"UDP"}, [1,[2]], null]"#).unwrap();
        assert_eq!(names(&imported), ["ok"]);
        assert_eq!(reason(&imported, "packet 1"), SkipReason::NotAPacket);
        assert_eq!(reason(&imported, "packet 3"), SkipReason::NotAPacket);
        assert_eq!(reason(&imported, "packet 4"), SkipReason::NotAPacket);
    }

    #[test]
    fn windows_files_match_keys_ignoring_case() {
        let ini = "[names]\n1\\NAME=Mixed\nSIZE=1\n\n[mixed]\nTCPORUDP=udp\nTOIP=h\nPORT=2\n";
        let imported = import_ini(ini).unwrap();
        assert_eq!(message(&imported, "Mixed").destination, "h:2");
    }

    #[test]
    fn quotes_escapes_comments_and_continuations_read_as_qsettings_reads_them() {
        let ini = "; a comment\n[NAMES]\n1\\name=\"a;b\" ; trailing comment\nsize=1\n\n\
                   [a%3Bb]\ntcpOrUdp=U\\\nDP\nhexString=\"41\\x20\" 42\ntoIP=  h  \nport=3\n";
        let imported = import(ini).unwrap();
        let m = message(&imported, "a;b");
        assert_eq!(m.transport, Some(Transport::Udp));
        assert_eq!(m.body, "41 42");
        assert_eq!(m.destination, "h:3");
    }

    #[test]
    fn malformed_json_says_where() {
        let error = import("[\n  {\"name\": \"a\",\n   \"port\" 5}\n]").unwrap_err();
        assert_eq!((error.line, error.column), (3, 11));
        assert!(matches!(error.problem, ImportProblem::JsonSyntax(_)));
        assert!(
            error
                .render("packets.json", Lang::En)
                .starts_with("packets.json:3:11: ")
        );

        let error = import("[{\"name\": \"读取\"").unwrap_err();
        assert_eq!(error.problem, ImportProblem::JsonEnds);
        assert_eq!((error.line, error.column), (1, 14));

        let error = import("\n  {\"name\": \"a\"}").unwrap_err();
        assert_eq!(
            (error.line, error.column, error.problem),
            (2, 3, ImportProblem::JsonNotAList)
        );
        let error = import_json("\"packets\"").unwrap_err();
        assert_eq!(error.problem, ImportProblem::JsonNotAList);
        let error = import_json("[] []").unwrap_err();
        assert!(matches!(error.problem, ImportProblem::JsonSyntax(_)));
        assert_eq!((error.line, error.column), (1, 4));
    }

    #[test]
    fn malformed_ini_says_where() {
        let error = import("[NAMES]\n1\\name=a\nsize=1\n\n[a\ntcpOrUdp=UDP\n").unwrap_err();
        assert_eq!(
            (error.line, error.column, error.problem.clone()),
            (5, 1, ImportProblem::IniSectionNotClosed)
        );
        assert_eq!(
            error.text(Lang::En),
            format!("5:1: {}", error.problem.text(Lang::En))
        );

        let error = import("[NAMES]\nsize=1\n  just words\n").unwrap_err();
        assert_eq!(
            (error.line, error.column, error.problem),
            (3, 3, ImportProblem::IniNoEquals)
        );

        let error = import("[NAMES]\r\nsize=1\r\n1\\name=\"open\r\n").unwrap_err();
        assert_eq!(
            (error.line, error.column, error.problem),
            (3, 8, ImportProblem::IniQuoteNotClosed)
        );

        let error = import("[NAMES]\nsize=three\n").unwrap_err();
        assert_eq!(
            (error.line, error.column, error.problem),
            (2, 1, ImportProblem::IniBadListSize("three".into()))
        );

        let error = import("[General]\nfoo=bar\n").unwrap_err();
        assert_eq!(error.problem, ImportProblem::IniNoList);
        assert_eq!(import("  \n").unwrap_err().problem, ImportProblem::Empty);
        assert_eq!(
            import_ini("[NAMES]\nsize=0\n").unwrap(),
            Imported::default()
        );
        assert_eq!(import_json("[]").unwrap(), Imported::default());
    }

    #[test]
    fn limits_refuse_huge_files_and_too_many_packets() {
        let huge = " ".repeat(MAX_FILE_BYTES + 1);
        assert_eq!(
            import(&huge).unwrap_err().problem,
            ImportProblem::TooLarge {
                bytes: MAX_FILE_BYTES + 1
            }
        );
        let error = import("[NAMES]\nsize=10001\n").unwrap_err();
        assert_eq!(
            (error.line, error.problem),
            (2, ImportProblem::TooManyPackets)
        );

        let many = format!("[{}{{}}]", "{},".repeat(MAX_PACKETS));
        assert_eq!(
            import(&many).unwrap_err().problem,
            ImportProblem::TooManyPackets
        );
        let just_enough = format!("[{}{{}}]", "{},".repeat(MAX_PACKETS - 1));
        assert_eq!(import(&just_enough).unwrap().skipped.len(), MAX_PACKETS);
    }

    #[test]
    fn deep_nesting_neither_recurses_nor_crashes() {
        // Inside a packet, nesting is skipped without recursion (serde's IgnoredAny).
        let deep = format!(
            "[{{\"name\":{}{},\"tcporudp\":\"UDP\"}}, {}{}]",
            "[".repeat(100_000),
            "]".repeat(100_000),
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let imported = import(&deep).unwrap();
        assert_eq!(names(&imported), ["packet 1"]);
        assert_eq!(reason(&imported, "packet 2"), SkipReason::NotAPacket);
        let error = import(&"[".repeat(1_000_000)).unwrap_err();
        assert_eq!(error.problem, ImportProblem::JsonEnds);
    }

    #[test]
    fn every_text_reads_in_both_languages() {
        let imported = import(PACKETS_INI).unwrap();
        assert_eq!(imported.summary(Lang::En), "imported 6 packets, skipped 3");
        assert_eq!(imported.summary(Lang::Zh), "导入了 6 个数据包，跳过了 3 个");
        let ssl = imported
            .skipped
            .iter()
            .find(|s| s.name == "SSL hello")
            .unwrap();
        assert_eq!(
            ssl.text(Lang::En),
            "SSL hello: its kind is SSL; only TCP and UDP packets can be imported"
        );
        assert!(ssl.text(Lang::Zh).contains("只能导入 TCP 和 UDP"));
        let reasons = [
            SkipReason::NotStored,
            SkipReason::NotAPacket,
            SkipReason::NoKind,
            SkipReason::NoPort,
            SkipReason::BadPort("x".into()),
            SkipReason::BadAddress("x".into()),
            SkipReason::RepeatNotANumber("x".into()),
            SkipReason::RepeatTooLong("x".into()),
        ];
        let problems = [
            ImportProblem::TooLarge { bytes: 1 },
            ImportProblem::TooManyPackets,
            ImportProblem::Empty,
            ImportProblem::JsonSyntax("x".into()),
            ImportProblem::JsonEnds,
            ImportProblem::JsonNotAList,
            ImportProblem::IniNoList,
            ImportProblem::IniBadListSize("x".into()),
            ImportProblem::IniSectionNotClosed,
            ImportProblem::IniNoEquals,
            ImportProblem::IniQuoteNotClosed,
        ];
        for lang in Lang::ALL {
            let texts = reasons
                .iter()
                .map(|r| r.text(lang))
                .chain(problems.iter().map(|p| p.text(lang)));
            for text in texts {
                assert!(!text.is_empty() && !text.contains("import-"), "{text}");
            }
        }
    }

    /// Pieces of both formats, so random strings reach deep into the readers.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "[NAMES]\n",
                "1\\name=a\n",
                "2\\name=b c\n",
                "size=2\n",
                "size=-1\n",
                "size=99999\n",
                "[a]\n",
                "[b%20c]\n",
                "[General]\n",
                "[%General]\n",
                "tcpOrUdp=UDP\n",
                "tcpOrUdp=SSL\n",
                "toIP=::1\n",
                "port=502\n",
                "hexString=\"48 6\"\n",
                "repeat=@Variant(\\0\\0\\0\\x87?\\x80\\0\\0)\n",
                "repeat=@Variant(\\0\\0\\0\\n\\0\\0\\0\\x4\\0A\\0B)\n",
                "repeat=1e999\n",
                "\\x",
                "\\0",
                "%U",
                "%",
                "%2",
                "\"",
                ";",
                "=",
                "\r",
                "\n",
                "\\\r\n",
                "[",
                "]",
                "{",
                "}",
                ",",
                ":",
                "[{\"name\":",
                "\"hexstring\":\"48\"",
                "\"tcporudp\":\"UDP\"",
                "\"port\":\"502\"",
                "\"toip\":\"h\"",
                "\"repeat\":1e308",
                "null",
                "\\",
                "@@",
                "@Variant(",
                ")",
                "\u{0}",
                "读",
                "\u{feff}",
                " ",
                "\t",
            ])
            .prop_map(str::to_string),
            "[ -~]{0,8}",
        ]
    }

    proptest! {
        #[test]
        fn fuzz_one_never_panics_on_any_string(input in any::<String>()) {
            fuzz_one(&input);
        }

        #[test]
        fn fuzz_one_never_panics_on_ini_and_json_fragments(
            parts in proptest::collection::vec(fragment(), 0..40)
        ) {
            fuzz_one(&parts.concat());
        }

        #[test]
        fn imported_names_are_never_longer_than_the_cap(name in "\\PC{0,300}") {
            let json = serde_json::json!([{ "name": name, "tcporudp": "UDP" }]).to_string();
            let imported = import(&json).unwrap();
            for m in &imported.messages {
                prop_assert!(m.name.chars().count() <= MAX_NAME_CHARS);
            }
        }
    }
}
