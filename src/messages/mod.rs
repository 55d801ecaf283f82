//! Saved messages, their placeholders and checksums, reply rules and framing (PRODUCT part
//! 15). Pure data and pure functions: no socket I/O here (the engine's responder and the UI's
//! composer use them).
//!
//! - [`template`]: a message body with placeholders (`${counter}`, `${time:%H:%M:%S}`,
//!   `${random:4}`, `${local}`, checksums such as `${crc16_modbus}` over the bytes before
//!   them), parsed once and expanded at send time.
//! - [`checksum`]: CRC-16/MODBUS, CRC-16/CCITT-FALSE, CRC-32 (the `crc` crate's catalogue),
//!   LRC, XOR-8, SUM-8.
//! - [`framing`]: splits a byte stream into messages by a rule (line, delimiter, fixed size,
//!   length prefix), bounded, never stalling on a stream that breaks the rule.
//! - [`packet_sender`]: imports Packet Sender's saved packets (`packets.ini`, its JSON export).
//! - [`rules`]: reply rules compiled for answering: the first rule that matches received data
//!   answers with its saved message, expanded then.

pub mod checksum;
pub mod framing;
pub mod packet_sender;
pub mod rules;
pub mod template;

use crate::codec::TextEncoding;
use serde::{Deserialize, Serialize};

/// How a message's body is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// Text with escapes (`\n`, `\xNN`, ...) in an encoding, as the composer's text field.
    #[default]
    Text,
    /// Hex digits, spaces allowed, as the composer's hex field.
    Hex,
}

/// Which call sends a message (the composer's choice).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SendCall {
    #[default]
    Send,
    SendAll,
    SendTo,
}

/// The transport a message was meant for (Packet Sender records it per packet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tcp,
    Udp,
}

/// A named message kept with the workspace: one click sends it to the focused socket.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedMessage {
    pub name: String,
    /// As the person wrote it, placeholders included (see [`template`]).
    pub body: String,
    pub format: BodyFormat,
    /// For [`BodyFormat::Text`]: how the text becomes bytes.
    pub encoding: TextEncoding,
    pub call: SendCall,
    /// Where sendto sends it, as the composer's destination field (`127.0.0.1:9000`); empty:
    /// the composer's destination.
    pub destination: String,
    /// The transport it was meant for, when known (an import says it).
    pub transport: Option<Transport>,
    /// Repeat it every this many milliseconds (0: once).
    pub repeat_every_ms: u64,
}

/// The order of a multi-byte number's bytes on the wire (checksums, counters, length
/// prefixes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ByteOrder {
    /// Most significant byte first ("network order").
    #[default]
    Big,
    Little,
}

/// How a reply rule compares received data with its pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    #[default]
    Exact,
    Prefix,
    Contains,
    Regex,
}

/// A reply rule (what Packet Sender calls a smart response): data that matches `pattern`
/// is answered with the saved message named `reply`. The first matching rule wins.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyRule {
    #[serde(rename = "match")]
    pub kind: MatchKind,
    /// Text with escapes, hex digits, or a regular expression.
    pub pattern: String,
    /// How the pattern is written (a regular expression in hex matches the data's hex text).
    pub format: BodyFormat,
    /// The saved message that answers.
    pub reply: String,
}
