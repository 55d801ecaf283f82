//! A saved message's body with placeholders (PRODUCT part 15), parsed once and expanded at
//! send time: shown to the person before it is sent, and sent by the engine's reply rules, so
//! expanding is cheap (the literal parts are bytes already) and never panics.
//!
//! Syntax: `${name}` or `${name:argument}` anywhere in the body. Everything else is read as
//! the composer reads it: text with the codec's escapes in the message's encoding, or hex
//! digits. In text a literal `${` is written `\x24{`.
//!
//! | placeholder | bytes |
//! |---|---|
//! | `${counter}` | the send counter in decimal ASCII |
//! | `${counter:u8}`, `u16`, `u16le`, `u32`, `u32le` | the counter in binary, wrapping |
//! | `${time}`, `${time:%Y-%m-%d}` | the local time (chrono's strftime), as text |
//! | `${random:N}` | N random bytes, 1 ≤ N ≤ 1024 |
//! | `${local}`, `${peer}` | the socket's own / peer address, as text |
//! | `${crc16_modbus}`, `${crc32:le}`, ... | the checksum of every byte before it |

use super::checksum::Checksum;
use super::{BodyFormat, ByteOrder, SavedMessage};
use crate::codec::{InputError, InputProblem, TextEncoding, parse_escaped, parse_hex};
use crate::i18n::Lang;
use crate::t;
use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Local};
use std::fmt;

/// The most bytes one `${random:N}` makes.
pub const RANDOM_MAX: usize = 1024;
const DEFAULT_TIME_FORMAT: &str = "%H:%M:%S";
const COUNTER_FORMS: &str = "u8, u16, u16le, u32, u32le";
/// How many characters of a placeholder an error quotes: enough to recognise it, and a
/// runaway `${...` cannot flood the message.
const QUOTE_MAX: usize = 40;

/// The names a template knows, placeholders first, then checksums (for the UI to offer).
pub fn placeholder_names() -> impl Iterator<Item = &'static str> {
    ["counter", "time", "random", "local", "peer"]
        .into_iter()
        .chain(Checksum::ALL.into_iter().map(Checksum::placeholder_name))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CounterForm {
    Decimal,
    U8,
    U16(ByteOrder),
    U32(ByteOrder),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    Counter(CounterForm),
    /// Checked when parsed: holds no `Item::Error`.
    Time(Vec<Item<'static>>),
    Random(usize),
    Local,
    Peer,
    Checksum(Checksum, ByteOrder),
}

/// A parsed message body: literal bytes and placeholders, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Each piece with the character of the body where it starts (errors at send time point
    /// there).
    pieces: Vec<(usize, Piece)>,
    /// How placeholders' text (time, addresses) becomes bytes: UTF-8 for hex messages.
    encoding: TextEncoding,
}

/// What a template is expanded with at send time.
pub struct Context<'a> {
    /// How many times the message was sent before (the first send is 0 or 1, as the caller
    /// counts).
    pub counter: u64,
    pub now: DateTime<Local>,
    /// The socket's own address as text (`127.0.0.1:5000`), if it has one.
    pub local: Option<&'a str>,
    /// The peer's address as text, if the socket has one.
    pub peer: Option<&'a str>,
    /// Fills its argument with random bytes ([`SplitMix64::fill`] for a fixed seed).
    pub random: &'a mut dyn FnMut(&mut [u8]),
}

/// Where and why a body could not be parsed. `position` counts characters from 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub position: usize,
    pub problem: TemplateProblem,
}

/// Why a body could not be parsed. `placeholder` is the placeholder as written (shortened).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateProblem {
    /// `${` with no `}` after it.
    Unclosed,
    /// `${cnt}`.
    UnknownName { placeholder: String },
    /// `${counter:u12}`.
    CounterForm {
        placeholder: String,
        argument: String,
    },
    /// `${crc32:middle}`.
    ByteOrderWord {
        placeholder: String,
        argument: String,
        checksum: Checksum,
    },
    /// `${random}` without a count.
    RandomMissing { placeholder: String },
    /// `${random:0}`, `${random:1025}`, `${random:many}`.
    RandomCount {
        placeholder: String,
        argument: String,
    },
    /// `${local:x}`: local and peer take no argument.
    NoArgument { placeholder: String },
    /// `${time:%Q}`.
    TimeFormat { placeholder: String, format: String },
    /// The literal text or hex around the placeholders (the codec's own errors).
    Literal(InputProblem),
}

/// Where and why a template could not be expanded. `position` is the placeholder's first
/// character in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub position: usize,
    pub problem: ExpandProblem,
}

/// Why a template could not be expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpandProblem {
    /// `${local}` for a socket with no address of its own.
    NoLocalAddress,
    /// `${peer}` for a socket with no peer.
    NoPeerAddress,
    /// An address (a Unix socket's path, say) with a character the encoding lacks.
    NotInEncoding {
        placeholder: &'static str,
        text: String,
        ch: char,
        encoding: TextEncoding,
    },
    /// chrono refused to write the time (checked formats should never get here).
    TimeFailed,
}

/// A saved message's body as a template.
pub fn parse_message(message: &SavedMessage) -> Result<Template, TemplateError> {
    parse(&message.body, message.format, message.encoding)
}

/// Parses `body`: text with escapes in `encoding`, or hex digits, with placeholders.
pub fn parse(
    body: &str,
    format: BodyFormat,
    encoding: TextEncoding,
) -> Result<Template, TemplateError> {
    let text_encoding = match format {
        BodyFormat::Text => encoding,
        BodyFormat::Hex => TextEncoding::Utf8,
    };
    let chars: Vec<char> = body.chars().collect();
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    let mut index = 0;
    while index < chars.len() {
        match chars[index] {
            // An escape's second character is never a placeholder's `$` (`\\${counter}` is a
            // backslash and a counter; `\${` is an unknown escape).
            '\\' if format == BodyFormat::Text => index += 2,
            '$' if chars.get(index + 1) == Some(&'{') => {
                push_literal(
                    &mut pieces,
                    &chars[literal_start..index],
                    literal_start,
                    format,
                    encoding,
                )?;
                let Some(close) = chars[index + 2..].iter().position(|&ch| ch == '}') else {
                    return Err(TemplateError {
                        position: index,
                        problem: TemplateProblem::Unclosed,
                    });
                };
                let close = index + 2 + close;
                let piece = placeholder(&chars[index + 2..close], index, text_encoding)?;
                pieces.push((index, piece));
                index = close + 1;
                literal_start = index;
            }
            _ => index += 1,
        }
    }
    push_literal(
        &mut pieces,
        &chars[literal_start..],
        literal_start,
        format,
        encoding,
    )?;
    Ok(Template {
        pieces,
        encoding: text_encoding,
    })
}

/// Parses one literal part (between placeholders) and keeps its bytes; an error points into
/// the whole body.
fn push_literal(
    pieces: &mut Vec<(usize, Piece)>,
    chars: &[char],
    start: usize,
    format: BodyFormat,
    encoding: TextEncoding,
) -> Result<(), TemplateError> {
    if chars.is_empty() {
        return Ok(());
    }
    let text: String = chars.iter().collect();
    let parsed = match format {
        BodyFormat::Text => parse_escaped(&text, encoding),
        BodyFormat::Hex => parse_hex(&text),
    };
    let bytes = parsed.map_err(|error| TemplateError {
        position: start + error.position,
        problem: TemplateProblem::Literal(error.problem),
    })?;
    if !bytes.is_empty() {
        pieces.push((start, Piece::Literal(bytes)));
    }
    Ok(())
}

/// The placeholder written `${content}`, whose `$` is character `dollar` of the body.
fn placeholder(
    content: &[char],
    dollar: usize,
    encoding: TextEncoding,
) -> Result<Piece, TemplateError> {
    let content: String = content.iter().collect();
    let written = shorten(&format!("${{{content}}}"));
    let (name, argument) = match content.split_once(':') {
        Some((name, argument)) => (name, argument),
        None => (content.as_str(), ""),
    };
    // The argument's first character: where a bad argument is pointed at.
    let argument_at = dollar + 2 + name.chars().count() + 1;
    let name = name.trim();
    let error = |position: usize, problem: TemplateProblem| TemplateError { position, problem };
    match name {
        "counter" => counter_form(argument.trim())
            .map(Piece::Counter)
            .ok_or_else(|| {
                error(
                    argument_at,
                    TemplateProblem::CounterForm {
                        placeholder: written,
                        argument: shorten(argument),
                    },
                )
            }),
        "time" => time_items(argument, argument_at, encoding, written).map(Piece::Time),
        "random" => match argument.trim() {
            "" => Err(error(
                dollar,
                TemplateProblem::RandomMissing {
                    placeholder: written,
                },
            )),
            count => match count.parse::<usize>() {
                Ok(count) if (1..=RANDOM_MAX).contains(&count) => Ok(Piece::Random(count)),
                _ => Err(error(
                    argument_at,
                    TemplateProblem::RandomCount {
                        placeholder: written,
                        argument: shorten(argument),
                    },
                )),
            },
        },
        "local" | "peer" if !argument.trim().is_empty() => Err(error(
            argument_at,
            TemplateProblem::NoArgument {
                placeholder: written,
            },
        )),
        "local" => Ok(Piece::Local),
        "peer" => Ok(Piece::Peer),
        _ => {
            let Some(checksum) = Checksum::from_placeholder_name(name) else {
                return Err(error(
                    dollar,
                    TemplateProblem::UnknownName {
                        placeholder: written,
                    },
                ));
            };
            let order = match argument.trim() {
                "" => checksum.default_order(),
                "be" => ByteOrder::Big,
                "le" => ByteOrder::Little,
                _ => {
                    return Err(error(
                        argument_at,
                        TemplateProblem::ByteOrderWord {
                            placeholder: written,
                            argument: shorten(argument),
                            checksum,
                        },
                    ));
                }
            };
            Ok(Piece::Checksum(checksum, order))
        }
    }
}

fn counter_form(argument: &str) -> Option<CounterForm> {
    Some(match argument {
        "" => CounterForm::Decimal,
        "u8" => CounterForm::U8,
        "u16" => CounterForm::U16(ByteOrder::Big),
        "u16le" => CounterForm::U16(ByteOrder::Little),
        "u32" => CounterForm::U32(ByteOrder::Big),
        "u32le" => CounterForm::U32(ByteOrder::Little),
        _ => return None,
    })
}

/// A `${time:FORMAT}`'s format, checked now so that sending cannot fail on it: chrono knows
/// every `%` item, and every other character can be written in the message's encoding
/// (chrono's own output is ASCII).
fn time_items(
    argument: &str,
    argument_at: usize,
    encoding: TextEncoding,
    written: String,
) -> Result<Vec<Item<'static>>, TemplateError> {
    let format = if argument.is_empty() {
        DEFAULT_TIME_FORMAT
    } else {
        argument
    };
    let items = StrftimeItems::new(format)
        .parse_to_owned()
        .map_err(|_| TemplateError {
            position: argument_at,
            problem: TemplateProblem::TimeFormat {
                placeholder: written,
                format: shorten(argument),
            },
        })?;
    for (offset, ch) in argument.chars().enumerate() {
        if !ch.is_ascii() && encode_text(ch.encode_utf8(&mut [0; 4]), encoding).is_err() {
            return Err(TemplateError {
                position: argument_at + offset,
                problem: TemplateProblem::Literal(InputProblem::NotInEncoding { ch, encoding }),
            });
        }
    }
    Ok(items)
}

/// At most [`QUOTE_MAX`] characters of `text`, with `…` when cut.
fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(QUOTE_MAX).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// `text` in `encoding`, or the first character it cannot write.
fn encode_text(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, char> {
    match encoding {
        TextEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
        TextEncoding::Latin1 => text
            .chars()
            .map(|ch| u8::try_from(u32::from(ch)).map_err(|_| ch))
            .collect(),
        TextEncoding::Gbk => {
            let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
            if !had_errors {
                return Ok(bytes.into_owned());
            }
            // Only to name the character: a failure is rare and the text short.
            let bad = text.chars().find(|ch| {
                let (_, _, had_errors) = encoding_rs::GBK.encode(ch.encode_utf8(&mut [0; 4]));
                had_errors
            });
            Err(bad.unwrap_or(char::REPLACEMENT_CHARACTER))
        }
    }
}

impl Template {
    /// The message's bytes for one send.
    pub fn expand(&self, context: &mut Context<'_>) -> Result<Vec<u8>, ExpandError> {
        let mut out = Vec::with_capacity(self.size_hint());
        for (position, piece) in &self.pieces {
            let error = |problem: ExpandProblem| ExpandError {
                position: *position,
                problem,
            };
            match piece {
                Piece::Literal(bytes) => out.extend_from_slice(bytes),
                Piece::Counter(form) => push_counter(&mut out, *form, context.counter),
                Piece::Time(items) => {
                    use std::fmt::Write;
                    let mut text = String::new();
                    write!(text, "{}", context.now.format_with_items(items.iter()))
                        .map_err(|_| error(ExpandProblem::TimeFailed))?;
                    // Checked when parsed; should it still fail, say so rather than send less.
                    let bytes = encode_text(&text, self.encoding).map_err(|ch| {
                        error(ExpandProblem::NotInEncoding {
                            placeholder: "${time}",
                            text: shorten(&text),
                            ch,
                            encoding: self.encoding,
                        })
                    })?;
                    out.extend_from_slice(&bytes);
                }
                Piece::Random(count) => {
                    let start = out.len();
                    out.resize(start + count, 0);
                    (context.random)(&mut out[start..]);
                }
                Piece::Local | Piece::Peer => {
                    let (address, placeholder, missing) = match piece {
                        Piece::Local => (context.local, "${local}", ExpandProblem::NoLocalAddress),
                        _ => (context.peer, "${peer}", ExpandProblem::NoPeerAddress),
                    };
                    let address = address.ok_or_else(|| error(missing))?;
                    let bytes = encode_text(address, self.encoding).map_err(|ch| {
                        error(ExpandProblem::NotInEncoding {
                            placeholder,
                            text: shorten(address),
                            ch,
                            encoding: self.encoding,
                        })
                    })?;
                    out.extend_from_slice(&bytes);
                }
                Piece::Checksum(checksum, order) => {
                    let bytes = checksum.bytes(&out, *order);
                    out.extend_from_slice(&bytes);
                }
            }
        }
        Ok(out)
    }

    /// Whether the body has any placeholder (if not, every send is the same bytes).
    pub fn has_placeholders(&self) -> bool {
        self.pieces
            .iter()
            .any(|(_, piece)| !matches!(piece, Piece::Literal(_)))
    }

    /// The checksums the body appends, in order, with the byte order of each.
    pub fn checksums(&self) -> impl Iterator<Item = (Checksum, ByteOrder)> + '_ {
        self.pieces.iter().filter_map(|(_, piece)| match piece {
            Piece::Checksum(checksum, order) => Some((*checksum, *order)),
            _ => None,
        })
    }

    /// Roughly how many bytes one send makes (to allocate once).
    fn size_hint(&self) -> usize {
        self.pieces
            .iter()
            .map(|(_, piece)| match piece {
                Piece::Literal(bytes) => bytes.len(),
                Piece::Random(count) => *count,
                Piece::Checksum(checksum, _) => checksum.width(),
                _ => 24,
            })
            .sum()
    }
}

fn push_counter(out: &mut Vec<u8>, form: CounterForm, counter: u64) {
    // Binary forms keep the low bytes: the counter wraps as the field would.
    match form {
        CounterForm::Decimal => out.extend_from_slice(counter.to_string().as_bytes()),
        CounterForm::U8 => out.push(counter as u8),
        CounterForm::U16(ByteOrder::Big) => out.extend_from_slice(&(counter as u16).to_be_bytes()),
        CounterForm::U16(ByteOrder::Little) => {
            out.extend_from_slice(&(counter as u16).to_le_bytes())
        }
        CounterForm::U32(ByteOrder::Big) => out.extend_from_slice(&(counter as u32).to_be_bytes()),
        CounterForm::U32(ByteOrder::Little) => {
            out.extend_from_slice(&(counter as u32).to_le_bytes())
        }
    }
}

impl TemplateError {
    /// Where and why, in `lang`: "at character 6: unknown placeholder ${cnt} (known: ...)".
    pub fn text(&self, lang: Lang) -> String {
        let problem = match &self.problem {
            // The codec's own words, with the position in the whole body.
            TemplateProblem::Literal(problem) => {
                return InputError {
                    position: self.position,
                    problem: problem.clone(),
                }
                .text(lang);
            }
            TemplateProblem::Unclosed => t!(lang, "template-unclosed"),
            TemplateProblem::UnknownName { placeholder } => t!(
                lang,
                "template-unknown-placeholder",
                placeholder = placeholder.as_str(),
                known = placeholder_names().collect::<Vec<_>>().join(", ")
            ),
            TemplateProblem::CounterForm {
                placeholder,
                argument,
            } => t!(
                lang,
                "template-counter-form",
                placeholder = placeholder.as_str(),
                argument = argument.as_str(),
                forms = COUNTER_FORMS
            ),
            TemplateProblem::ByteOrderWord {
                placeholder,
                argument,
                checksum,
            } => t!(
                lang,
                "template-byte-order",
                placeholder = placeholder.as_str(),
                argument = argument.as_str(),
                default = match checksum.default_order() {
                    ByteOrder::Big => "be",
                    ByteOrder::Little => "le",
                }
            ),
            TemplateProblem::RandomMissing { placeholder } => t!(
                lang,
                "template-random-missing",
                placeholder = placeholder.as_str(),
                max = RANDOM_MAX.to_string()
            ),
            TemplateProblem::RandomCount {
                placeholder,
                argument,
            } => t!(
                lang,
                "template-random-count",
                placeholder = placeholder.as_str(),
                argument = argument.as_str(),
                max = RANDOM_MAX.to_string()
            ),
            TemplateProblem::NoArgument { placeholder } => t!(
                lang,
                "template-no-argument",
                placeholder = placeholder.as_str()
            ),
            TemplateProblem::TimeFormat {
                placeholder,
                format,
            } => t!(
                lang,
                "template-time-format",
                placeholder = placeholder.as_str(),
                format = format.as_str()
            ),
        };
        at_character(lang, self.position, problem)
    }
}

impl ExpandError {
    /// Where and why, in `lang`: "at character 1: ${local}: this socket has no address ...".
    pub fn text(&self, lang: Lang) -> String {
        let problem = match &self.problem {
            ExpandProblem::NoLocalAddress => {
                t!(lang, "template-no-local-address", placeholder = "${local}")
            }
            ExpandProblem::NoPeerAddress => {
                t!(lang, "template-no-peer-address", placeholder = "${peer}")
            }
            ExpandProblem::NotInEncoding {
                placeholder,
                text,
                ch,
                encoding,
            } => t!(
                lang,
                "template-not-in-encoding",
                placeholder = *placeholder,
                text = text.as_str(),
                ch = ch.to_string(),
                encoding = encoding.label()
            ),
            ExpandProblem::TimeFailed => {
                t!(lang, "template-time-failed", placeholder = "${time}")
            }
        };
        at_character(lang, self.position, problem)
    }
}

/// The codec's "at character N: ..." (counted from 1 for people), so a template's errors and
/// its literal parts' errors read alike.
fn at_character(lang: Lang, position: usize, problem: String) -> String {
    t!(
        lang,
        "input-error-at",
        position = (position + 1).to_string(),
        problem = problem
    )
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for TemplateError {}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for ExpandError {}

/// A small, fast, seeded random source (SplitMix64): the same seed gives the same bytes, so
/// a lesson or a test can repeat a run. Not for secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fills `out` with the next bytes (each number's bytes low first).
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// Never panics, never loops, for any input: parses it as text (each encoding) and as hex,
/// expands what parses with a fixed context (with and without addresses), and words every
/// error in both languages.
pub fn fuzz_one(input: &str) {
    let now = DateTime::from_timestamp(1_700_000_000, 0)
        .map_or_else(Local::now, |time| time.with_timezone(&Local));
    let mut random = SplitMix64::new(7);
    let mut fill = |bytes: &mut [u8]| random.fill(bytes);
    let forms = [
        (BodyFormat::Text, TextEncoding::Utf8),
        (BodyFormat::Text, TextEncoding::Gbk),
        (BodyFormat::Text, TextEncoding::Latin1),
        (BodyFormat::Hex, TextEncoding::Utf8),
    ];
    for (format, encoding) in forms {
        let template = match parse(input, format, encoding) {
            Ok(template) => template,
            Err(error) => {
                for lang in Lang::ALL {
                    let _ = error.text(lang);
                }
                continue;
            }
        };
        let _ = template.has_placeholders();
        let _ = template.checksums().count();
        let addresses = [(Some("127.0.0.1:5000"), Some("[::1]:9000")), (None, None)];
        for (counter, (local, peer)) in [0, u64::MAX].into_iter().zip(addresses) {
            let mut context = Context {
                counter,
                now,
                local,
                peer,
                random: &mut fill,
            };
            if let Err(error) = template.expand(&mut context) {
                for lang in Lang::ALL {
                    let _ = error.text(lang);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at_seven_past_seven() -> DateTime<Local> {
        Local
            .with_ymd_and_hms(2024, 5, 6, 7, 8, 9)
            .single()
            .unwrap()
    }

    fn expand_with(
        template: &Template,
        counter: u64,
        local: Option<&str>,
        peer: Option<&str>,
    ) -> Result<Vec<u8>, ExpandError> {
        let mut random = SplitMix64::new(0);
        let mut fill = |bytes: &mut [u8]| random.fill(bytes);
        template.expand(&mut Context {
            counter,
            now: at_seven_past_seven(),
            local,
            peer,
            random: &mut fill,
        })
    }

    fn text(body: &str, counter: u64) -> Vec<u8> {
        let template = parse(body, BodyFormat::Text, TextEncoding::Utf8).unwrap();
        expand_with(
            &template,
            counter,
            Some("127.0.0.1:5000"),
            Some("10.0.0.2:80"),
        )
        .unwrap()
    }

    fn hex(body: &str, counter: u64) -> Vec<u8> {
        let template = parse(body, BodyFormat::Hex, TextEncoding::Utf8).unwrap();
        expand_with(&template, counter, None, None).unwrap()
    }

    fn parse_error(body: &str, format: BodyFormat) -> TemplateError {
        parse(body, format, TextEncoding::Utf8).unwrap_err()
    }

    #[test]
    fn the_counter_is_decimal_or_binary_of_a_width() {
        assert_eq!(text("n=${counter}", 42), b"n=42");
        assert_eq!(text("${counter}", u64::MAX), b"18446744073709551615");
        assert_eq!(text("${counter:u8}", 300), [0x2C]);
        assert_eq!(text("${counter:u16}", 0x1_0203), [0x02, 0x03]);
        assert_eq!(text("${counter:u16le}", 0x0102), [0x02, 0x01]);
        assert_eq!(text("${counter:u32}", 0x0102_0304), [1, 2, 3, 4]);
        assert_eq!(text("${counter:u32le}", 0x0102_0304), [4, 3, 2, 1]);
        assert_eq!(text("${counter:}", 7), b"7");
    }

    #[test]
    fn the_time_is_written_with_the_format_given() {
        assert_eq!(text("[${time}]", 0), b"[07:08:09]");
        assert_eq!(text("${time:%Y-%m-%d %H:%M}", 0), b"2024-05-06 07:08");
        assert_eq!(text("${time:100%%}", 0), b"100%");
        // Hex messages write the time as UTF-8.
        assert_eq!(
            hex("ff ${time:%H时}", 0),
            [&[0xff][..], "07时".as_bytes()].concat()
        );
        let gbk = parse("${time:%H时}", BodyFormat::Text, TextEncoding::Gbk).unwrap();
        assert_eq!(
            expand_with(&gbk, 0, None, None).unwrap(),
            [b'0', b'7', 0xca, 0xb1]
        );
    }

    #[test]
    fn random_bytes_come_from_the_callers_source() {
        // SplitMix64 seeded 0 first gives 0xe220a8397b1dcdaf, its bytes low first.
        assert_eq!(text("${random:4}", 0), [0xaf, 0xcd, 0x1d, 0x7b]);
        assert_eq!(text("a${random:1}b", 0), [b'a', 0xaf, b'b']);
        assert_eq!(text("${random:1024}", 0).len(), 1024);
        let mut source = SplitMix64::new(0);
        assert_eq!(source.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(source.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn addresses_are_written_as_text_or_fail_clearly() {
        assert_eq!(
            text("from ${local} to ${peer}", 0),
            b"from 127.0.0.1:5000 to 10.0.0.2:80"
        );
        let template = parse("hi ${local}", BodyFormat::Text, TextEncoding::Utf8).unwrap();
        let error = expand_with(&template, 0, None, Some("10.0.0.2:80")).unwrap_err();
        assert_eq!(error.position, 3);
        assert_eq!(error.problem, ExpandProblem::NoLocalAddress);
        assert!(error.to_string().starts_with("at character 4: ${local}: "));
        let template = parse("${peer}", BodyFormat::Text, TextEncoding::Utf8).unwrap();
        let error = expand_with(&template, 0, Some("127.0.0.1:5000"), None).unwrap_err();
        assert_eq!(error.problem, ExpandProblem::NoPeerAddress);
        // A Unix socket's path the encoding cannot write.
        let template = parse("${local}", BodyFormat::Text, TextEncoding::Latin1).unwrap();
        let error = expand_with(&template, 0, Some("/tmp/套接字"), None).unwrap_err();
        assert!(matches!(
            error.problem,
            ExpandProblem::NotInEncoding { ch: '套', .. }
        ));
    }

    #[test]
    fn a_checksum_covers_every_byte_before_it() {
        assert_eq!(
            hex("01 03 00 00 00 0A ${crc16_modbus}", 0),
            [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD]
        );
        assert_eq!(
            hex("01 03 00 00 00 0A ${crc16_modbus:be}", 0),
            [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xCD, 0xC5]
        );
        assert_eq!(
            text("123456789${crc32}", 0),
            [&b"123456789"[..], &[0xCB, 0xF4, 0x39, 0x26]].concat()
        );
        assert_eq!(
            text("123456789${crc16_ccitt_false:le}", 0),
            [&b"123456789"[..], &[0xB1, 0x29]].concat()
        );
        assert_eq!(text("${sum8}", 0), [0]);
        // After a counter: the checksum sees the counter's bytes.
        assert_eq!(hex("10 ${counter:u8} ${sum8}", 5), [0x10, 0x05, 0x15]);
        // Earlier checksums are included in later ones.
        assert_eq!(hex("01 02 ${xor8} ${sum8}", 0), [0x01, 0x02, 0x03, 0x06]);
        assert_eq!(hex("${counter:u16} ${lrc}", 0x0105), [0x01, 0x05, 0xFA]);
    }

    #[test]
    fn text_escapes_and_gbk_surround_placeholders() {
        assert_eq!(text("${counter}\\r\\n", 3), b"3\r\n");
        assert_eq!(text("\\x24{counter}", 3), b"${counter}");
        assert_eq!(text("\\\\${counter}", 3), b"\\3");
        assert_eq!(text("$5 {x} $", 0), b"$5 {x} $");
        let gbk = parse("中${counter}文\\n", BodyFormat::Text, TextEncoding::Gbk).unwrap();
        assert_eq!(
            expand_with(&gbk, 9, None, None).unwrap(),
            [0xd6, 0xd0, b'9', 0xce, 0xc4, b'\n']
        );
        assert!(gbk.has_placeholders());
        let plain = parse("plain\\x00", BodyFormat::Text, TextEncoding::Utf8).unwrap();
        assert!(!plain.has_placeholders());
        assert_eq!(expand_with(&plain, 0, None, None).unwrap(), b"plain\0");
        let empty = parse("", BodyFormat::Hex, TextEncoding::Utf8).unwrap();
        assert_eq!(expand_with(&empty, 0, None, None).unwrap(), b"");
    }

    #[test]
    fn checksums_are_listed_for_the_ui() {
        let template = parse(
            "01 ${crc16_modbus} ${crc32:le} ${counter}",
            BodyFormat::Hex,
            TextEncoding::Utf8,
        )
        .unwrap();
        assert_eq!(
            template.checksums().collect::<Vec<_>>(),
            [
                (Checksum::Crc16Modbus, ByteOrder::Little),
                (Checksum::Crc32, ByteOrder::Little)
            ]
        );
        let names: Vec<_> = placeholder_names().collect();
        assert_eq!(names.len(), 11);
        assert!(names.contains(&"crc16_ccitt_false"));
    }

    #[test]
    fn every_parse_error_points_where_to_look() {
        use BodyFormat::{Hex, Text};
        let cases: [(&str, BodyFormat, usize, &str); 14] = [
            ("ab${counter", Text, 2, "${ is not closed"),
            (
                "abc ${cnt}",
                Text,
                4,
                "unknown placeholder ${cnt} (known: counter, time",
            ),
            ("${}", Text, 0, "unknown placeholder ${}"),
            ("${counter:u12}", Text, 10, "unknown counter form 'u12'"),
            ("${crc32:mid}", Text, 8, "unknown byte order 'mid'"),
            ("${random:0}", Text, 9, "from 1 to 1024, not '0'"),
            ("${random:1025}", Text, 9, "not '1025'"),
            ("${random:x}", Text, 9, "not 'x'"),
            (
                "..${random}",
                Text,
                2,
                "${random} needs the number of bytes",
            ),
            ("${local:x}", Text, 8, "${local:x} takes no argument"),
            ("${time:%Q}", Text, 7, "'%Q' is not a time format"),
            ("01 0${crc32}", Hex, 3, "odd number of hex digits"),
            ("01 zz ${crc32}", Hex, 3, "'z' is not a hex digit"),
            ("ab${counter}\\q", Text, 12, "unknown escape '\\q'"),
        ];
        for (body, format, position, words) in cases {
            let error = parse_error(body, format);
            assert_eq!(error.position, position, "{body}");
            let english = error.to_string();
            assert!(
                english.starts_with(&format!("at character {}: ", position + 1)),
                "{body}: {english}"
            );
            assert!(english.contains(words), "{body}: {english}");
            let chinese = error.text(Lang::Zh);
            assert!(
                chinese
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{body}: {chinese}"
            );
        }
    }

    #[test]
    fn literal_errors_keep_the_codecs_words_at_the_bodys_position() {
        let error = parse_error("${counter}\\x4", BodyFormat::Text);
        assert_eq!(error.position, 10);
        assert_eq!(
            error.problem,
            TemplateProblem::Literal(InputProblem::ShortHexEscape)
        );
        assert_eq!(
            error.to_string(),
            "at character 11: \\x needs two hex digits, e.g. \\x0a"
        );
        assert_eq!(parse_error("${counter}x\\", BodyFormat::Text).position, 11);
        // `\${` is an unknown escape, not a placeholder.
        let error = parse_error("\\${counter}", BodyFormat::Text);
        assert_eq!(
            (error.position, error.problem),
            (
                0,
                TemplateProblem::Literal(InputProblem::UnknownEscape('$'))
            )
        );
        let error = parse("ok ${time:%H时}", BodyFormat::Text, TextEncoding::Latin1).unwrap_err();
        assert_eq!(error.position, 12);
        assert!(error.to_string().contains("cannot be written in Latin-1"));
        let error = parse("a中${counter}", BodyFormat::Text, TextEncoding::Latin1).unwrap_err();
        assert_eq!(error.position, 1);
    }

    #[test]
    fn long_placeholders_are_quoted_shortened() {
        let body = format!("${{{}}}", "x".repeat(500));
        let error = parse_error(&body, BodyFormat::Text);
        assert!(error.to_string().len() < 300, "{error}");
        assert!(error.to_string().contains('…'));
    }

    #[test]
    fn expand_errors_read_in_both_languages() {
        for problem in [
            ExpandProblem::NoLocalAddress,
            ExpandProblem::NoPeerAddress,
            ExpandProblem::TimeFailed,
            ExpandProblem::NotInEncoding {
                placeholder: "${peer}",
                text: "/tmp/套".into(),
                ch: '套',
                encoding: TextEncoding::Latin1,
            },
        ] {
            let error = ExpandError {
                position: 0,
                problem,
            };
            assert!(error.text(Lang::En).starts_with("at character 1: $"));
            assert!(error.text(Lang::Zh).starts_with("第 1 个字符：$"));
        }
    }

    #[test]
    fn the_fuzz_entry_survives_the_usual_traps() {
        for input in [
            "",
            "$",
            "${",
            "}",
            "${}",
            "${:}",
            "\\",
            "\\x",
            "${counter",
            "${time:%}",
            "${random:99999999999999999999999}",
            "0x${crc32}",
            "${crc32}${crc32}",
            "中\u{1F600}",
        ] {
            fuzz_one(input);
        }
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("${".to_string()),
            Just("}".to_string()),
            Just(":".to_string()),
            Just("counter".to_string()),
            Just("crc32".to_string()),
            Just("crc16_modbus".to_string()),
            Just("time".to_string()),
            Just("random".to_string()),
            Just("local".to_string()),
            Just("\\x".to_string()),
            Just("\\".to_string()),
            Just("%".to_string()),
            Just("le".to_string()),
            Just(" ".to_string()),
            Just("中".to_string()),
            "[0-9a-fA-F]{1,3}",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest! {
        #[test]
        fn fuzz_one_never_panics_on_any_string(input in any::<String>()) {
            fuzz_one(&input);
        }

        #[test]
        fn fuzz_one_never_panics_on_placeholder_fragments(
            parts in proptest::collection::vec(fragment(), 0..24)
        ) {
            fuzz_one(&parts.concat());
        }

        #[test]
        fn escaped_bytes_without_placeholders_come_back(
            data in proptest::collection::vec(any::<u8>(), 0..100)
        ) {
            let body: String = data.iter().map(|byte| format!("\\x{byte:02x}")).collect();
            let template = parse(&body, BodyFormat::Text, TextEncoding::Utf8).unwrap();
            prop_assert!(!template.has_placeholders());
            prop_assert_eq!(expand_with(&template, 0, None, None).unwrap(), data);
        }
    }
}
