//! Canned replies for automatic servers. Pure functions of the bytes received (and, for the
//! HTTP responder's request timeout, of the time the worker passes in; for reply rules, of
//! the socket's addresses and the clock their placeholders read), so they are tested without
//! sockets; the socket thread sends what they return.

use super::command::Responder;
use crate::i18n::Lang;
use crate::messages::rules::RuleSet;
use chrono::format::{Item, StrftimeItems};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// What to send back after a chunk arrived.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    pub data: Vec<u8>,
    /// Stream sockets: shut down the write side after sending (HTTP with Connection: close).
    pub then_shutdown_write: bool,
    /// Reply rules: the rule that answered (counted from 1), for the send's record.
    pub rule: Option<u32>,
    /// Reply rules: the rule matched but its reply could not be made (English: a socket
    /// thread has no language); `data` is empty and nothing is to be sent.
    pub error: Option<String>,
}

impl Reply {
    fn data(data: Vec<u8>) -> Option<Reply> {
        Some(Reply {
            data,
            then_shutdown_write: false,
            rule: None,
            error: None,
        })
    }
}

pub(crate) const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// The longest strftime format the time server accepts (in bytes): it bounds the reply.
const TIME_FORMAT_LIMIT: usize = 256;
/// How much of a bad request an error line quotes back.
const QUOTED_CHARS: usize = 64;
/// The longest HTTP request line (method, target and version, without the line ending).
const HTTP_REQUEST_LINE_LIMIT: usize = 8 * 1024;
/// The longest HTTP header block (request line, fields and the blank line that ends them).
const HTTP_HEADER_LIMIT: usize = 32 * 1024;
/// How long an HTTP client has to send its complete header once connected.
pub(crate) const HTTP_HEADER_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) const HELLO_PAGE: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
<title>Hello from Socket Workbench</title></head>\n<body><h1>Hello World</h1>\n\
<p>This page was sent by a socket in Socket Workbench.</p></body></html>\n";

/// Per-connection state of a responder (HTTP needs to collect the whole request header).
#[derive(Debug)]
pub(crate) struct ResponderState {
    responder: Responder,
    request: HttpHead,
    answered: bool,
    /// HTTP on a stream: when the header must have arrived (the clock starts when the worker
    /// first asks for [`ResponderState::deadline`], or at the first data).
    header_deadline: Option<Instant>,
    /// Reply rules: this connection's own copy (its own counters and random bytes). Boxed:
    /// the state of every other responder stays small.
    rules: Option<Box<RuleSet>>,
}

impl ResponderState {
    pub fn new(responder: Responder) -> Self {
        let rules = match &responder {
            Responder::Rules(shared) => Some(Box::new(shared.fresh_copy())),
            _ => None,
        };
        ResponderState {
            responder,
            request: HttpHead::default(),
            answered: false,
            header_deadline: None,
            rules,
        }
    }

    pub fn responder(&self) -> &Responder {
        &self.responder
    }

    /// Whether replies need the socket's addresses (reply rules' `${local}` and `${peer}`):
    /// the worker makes their text only then.
    pub fn wants_addresses(&self) -> bool {
        self.rules.is_some()
    }

    /// [`ResponderState::on_data_at`] for a socket without addresses.
    #[cfg(test)]
    pub fn on_data(&mut self, data: &[u8], is_datagram: bool) -> Option<Reply> {
        self.on_data_at(data, is_datagram, None, None)
    }

    /// The reply to one received chunk (a TCP read or a UDP datagram), if any. `local` and
    /// `peer` are the socket's addresses as text (a datagram's peer is its sender), for reply
    /// rules.
    ///
    /// An empty chunk on a stream is the end of file (the peer shut down its write side or
    /// closed): the request before it got its reply when it arrived, so there is nothing to
    /// answer. An empty datagram, though, is a request like any other.
    pub fn on_data_at(
        &mut self,
        data: &[u8],
        is_datagram: bool,
        local: Option<&str>,
        peer: Option<&str>,
    ) -> Option<Reply> {
        if data.is_empty() && !is_datagram {
            return None;
        }
        match self.responder {
            Responder::Echo => Reply::data(data.to_vec()),
            Responder::UppercaseEcho => Reply::data(uppercase(data)),
            Responder::Discard => None,
            Responder::TimeServer => Reply::data(time_reply(data, chrono::Local::now())),
            Responder::CelsiusToFahrenheit => Reply::data(celsius_reply(data)),
            Responder::HttpHello => self.on_http_data(data, is_datagram),
            Responder::Rules(_) => self.on_rules_data(data, local, peer),
        }
    }

    /// The first matching rule's reply; a reply that cannot be made is said, not sent.
    fn on_rules_data(
        &mut self,
        data: &[u8],
        local: Option<&str>,
        peer: Option<&str>,
    ) -> Option<Reply> {
        let answer = self.rules.as_mut()?.answer(data, local, peer)?;
        let (rule, data, error) = match answer {
            Ok(answer) => (answer.rule, answer.bytes, None),
            Err(error) => (error.rule, Vec::new(), Some(error.text(Lang::En))),
        };
        Some(Reply {
            data,
            then_shutdown_write: false,
            rule: Some(u32::try_from(rule).unwrap_or(u32::MAX)),
            error,
        })
    }

    fn on_http_data(&mut self, data: &[u8], is_datagram: bool) -> Option<Reply> {
        if is_datagram {
            // Each datagram is a request of its own.
            self.request = HttpHead::default();
            self.answered = false;
        } else if self.header_deadline.is_none() && !self.answered {
            self.header_deadline = Some(Instant::now() + HTTP_HEADER_TIMEOUT);
        }
        if self.answered {
            // A request body, or anything sent after the response: ignored.
            return None;
        }
        let answer = self.request.push(data)?;
        self.answered = true;
        self.header_deadline = None;
        self.request = HttpHead::default();
        Some(Reply {
            data: http_response(answer.status, answer.head_only),
            then_shutdown_write: !is_datagram,
            rule: None,
            error: None,
        })
    }

    /// When the worker must call [`ResponderState::on_timer`]: the HTTP responder on a
    /// connected stream gives its client [`HTTP_HEADER_TIMEOUT`] to send a complete header.
    /// The worker asks only for connected stream sockets; the first ask starts the clock.
    /// `None`: no timer (other responders, or the request is answered).
    pub fn deadline(&mut self, now: Instant) -> Option<Instant> {
        if !matches!(self.responder, Responder::HttpHello) || self.answered {
            return None;
        }
        Some(
            *self
                .header_deadline
                .get_or_insert(now + HTTP_HEADER_TIMEOUT),
        )
    }

    /// Once the deadline has passed: the reply (408 Request Timeout) to send before the
    /// worker closes the connection. `None`: not yet, or no timer.
    pub fn on_timer(&mut self, now: Instant) -> Option<Reply> {
        let deadline = self.header_deadline?;
        if self.answered || now < deadline {
            return None;
        }
        self.answered = true;
        self.header_deadline = None;
        self.request = HttpHead::default();
        Some(Reply {
            data: http_response(Status::RequestTimeout, false),
            then_shutdown_write: true,
            rule: None,
            error: None,
        })
    }
}

/// Python's `data.decode().upper().encode()` for UTF-8; ASCII letters only otherwise.
fn uppercase(data: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(data) {
        Ok(text) => text.to_uppercase().into_bytes(),
        Err(_) => data.to_ascii_uppercase(),
    }
}

/// Keeps the request's line ending on the reply, so line-based clients see one reply per line.
fn with_line_ending(request: &[u8], mut reply: String) -> Vec<u8> {
    if request.ends_with(b"\r\n") {
        reply.push_str("\r\n");
    } else if request.ends_with(b"\n") {
        reply.push('\n');
    }
    reply.into_bytes()
}

fn request_text(data: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(data)
        .map(|text| text.trim_end_matches(['\r', '\n']))
        .map_err(|_| "error: the request is not UTF-8 text".to_string())
}

/// A request quoted in an error line: at most `limit` characters, control characters escaped.
fn quoted(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == limit {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

// ----- time server ---------------------------------------------------------------------------

pub(crate) fn time_reply<Tz: chrono::TimeZone>(data: &[u8], now: chrono::DateTime<Tz>) -> Vec<u8>
where
    Tz::Offset: std::fmt::Display,
{
    let reply = match request_text(data) {
        Err(message) => message,
        Ok(format) => formatted_time(format, &now),
    };
    with_line_ending(data, reply)
}

/// `now` in the strftime `format`, or an error line: never panics, whatever the format.
fn formatted_time<Tz: chrono::TimeZone>(format: &str, now: &chrono::DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let format = if format.trim().is_empty() {
        DEFAULT_TIME_FORMAT
    } else {
        format
    };
    if format.len() > TIME_FORMAT_LIMIT {
        return format!(
            "error: the format is {} bytes long; at most {TIME_FORMAT_LIMIT} are accepted",
            format.len()
        );
    }
    let invalid = || {
        format!(
            "error: '{}' is not a valid strftime format (try {DEFAULT_TIME_FORMAT})",
            quoted(format, TIME_FORMAT_LIMIT)
        )
    };
    let items: Vec<Item<'_>> = StrftimeItems::new(format).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return invalid();
    }
    // Some items parse but cannot be formatted (e.g. %#z): their Display fails, which
    // `to_string()` would turn into a panic.
    let mut text = String::new();
    match write!(text, "{}", now.format_with_items(items.iter())) {
        Ok(()) => text,
        Err(_) => invalid(),
    }
}

// ----- Celsius to Fahrenheit -----------------------------------------------------------------

/// The syllabus' server: `str(float(c) * 1.8 + 32)`, with error lines instead of exceptions,
/// `inf` and `nan`.
pub(crate) fn celsius_reply(data: &[u8]) -> Vec<u8> {
    let reply = match request_text(data) {
        Err(message) => message,
        Ok(text) => fahrenheit_text(text),
    };
    with_line_ending(data, reply)
}

fn fahrenheit_text(text: &str) -> String {
    // Python's float() strips the same whitespace as Rust's trim (Unicode White_Space).
    let text = text.trim();
    let Some(celsius) = python_float(text) else {
        return format!(
            "error: '{}' is not a number of degrees Celsius",
            quoted(text, QUOTED_CHARS)
        );
    };
    if !celsius.is_finite() {
        return format!(
            "error: '{}' is not a finite temperature",
            quoted(text, QUOTED_CHARS)
        );
    }
    let fahrenheit = celsius * 1.8 + 32.0;
    if !fahrenheit.is_finite() {
        return format!(
            "error: {} degrees Celsius is out of range (the result overflows)",
            quoted(text, QUOTED_CHARS)
        );
    }
    python_float_repr(fahrenheit)
}

/// Python's `float(text)` for ASCII text already stripped of whitespace: Rust's parser takes the
/// same forms ("+5", ".5", "5.", "1e3", "inf", "Infinity", "nan" in any case), and Python also
/// allows single underscores between digits ("1_000").
fn python_float(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let misplaced_underscore = bytes.iter().enumerate().any(|(index, &byte)| {
        byte == b'_'
            && !(index > 0
                && bytes[index - 1].is_ascii_digit()
                && bytes.get(index + 1).is_some_and(u8::is_ascii_digit))
    });
    if misplaced_underscore {
        return None;
    }
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    digits.parse::<f64>().ok()
}

/// Python's `repr(float)` (which `str` uses): the shortest digits that read back as the same
/// float, in fixed notation with at least one decimal (`212.0`) when the decimal exponent is
/// in -4..16, otherwise as `1.5e+16` / `1e-05` (sign and at least two exponent digits).
fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let Some((digits, exponent)) = shortest_digits(value.abs()) else {
        return format!("{value:?}");
    };
    let mut out = String::new();
    if value.is_sign_negative() {
        out.push('-');
    }
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let integer_digits = exponent as usize + 1;
            if digits.len() <= integer_digits {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', integer_digits - digits.len()));
                out.push_str(".0");
            } else {
                let (integer, fraction) = digits.split_at(integer_digits);
                out.push_str(integer);
                out.push('.');
                out.push_str(fraction);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
    out
}

/// The digits and decimal exponent of Python's repr of `value` (finite, not negative):
/// `("15", -7)` for 1.5e-07.
fn shortest_digits(value: f64) -> Option<(String, i32)> {
    // Rust's `{:e}` gives as few digits as read back as the same float, like Python, but
    // when two such strings are equally close to the float's exact value it takes the
    // upper one where Python (David Gay's dtoa) takes the even one: 2053637337633904.25
    // is 2053637337633904.2 in Python. Rounding the exact value to that many digits
    // (`{:.N e}` rounds half to even) gives Python's choice; kept if it reads back.
    let (digits, exponent) = split_scientific(&format!("{value:e}"))?;
    let precision = digits.len().saturating_sub(1);
    let rounded = format!("{value:.precision$e}");
    if rounded.parse::<f64>() == Ok(value)
        && let Some((even, even_exponent)) = split_scientific(&rounded)
    {
        let even = even.trim_end_matches('0');
        if !even.is_empty() {
            return Some((even.to_string(), even_exponent));
        }
    }
    Some((digits, exponent))
}

/// "1.25e-7" as ("125", -7).
fn split_scientific(scientific: &str) -> Option<(String, i32)> {
    let (mantissa, exponent) = scientific.split_once('e')?;
    let exponent = exponent.parse::<i32>().ok()?;
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    Some((digits, exponent))
}

// ----- HTTP hello page -----------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    BadRequest,
    MethodNotAllowed,
    RequestTimeout,
    UriTooLong,
    HeaderFieldsTooLarge,
    NotImplemented,
}

impl Status {
    fn line(self) -> &'static str {
        match self {
            Status::Ok => "200 OK",
            Status::BadRequest => "400 Bad Request",
            Status::MethodNotAllowed => "405 Method Not Allowed",
            Status::RequestTimeout => "408 Request Timeout",
            Status::UriTooLong => "414 URI Too Long",
            Status::HeaderFieldsTooLarge => "431 Request Header Fields Too Large",
            Status::NotImplemented => "501 Not Implemented",
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            Status::Ok => HELLO_PAGE,
            Status::BadRequest => {
                "The request line must be: METHOD TARGET HTTP/VERSION, e.g. GET / HTTP/1.1\n"
            }
            Status::MethodNotAllowed => "This server only answers GET and HEAD requests.\n",
            Status::RequestTimeout => "The request header did not arrive in time.\n",
            Status::UriTooLong => "The request line is longer than 8 KiB.\n",
            Status::HeaderFieldsTooLarge => "The request header is longer than 32 KiB.\n",
            Status::NotImplemented => "This server does not know that method.\n",
        }
    }
}

/// What to answer once the header is complete (or can no longer be).
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: Status,
    /// HEAD: the headers without the body.
    head_only: bool,
}

/// An HTTP request header being collected. Each byte is looked at once, and at most
/// [`HTTP_HEADER_LIMIT`] + 1 bytes are kept.
#[derive(Debug, Default)]
struct HttpHead {
    buffer: Vec<u8>,
    /// Where the first line not yet complete starts.
    scanned: usize,
    /// Where the search for the next line feed goes on.
    searched: usize,
    /// The request line's span in `buffer`, once complete.
    request_line: Option<(usize, usize)>,
}

impl HttpHead {
    /// Adds received bytes; the answer once the header is complete or breaks a limit.
    fn push(&mut self, data: &[u8]) -> Option<Answer> {
        let room = (HTTP_HEADER_LIMIT + 1).saturating_sub(self.buffer.len());
        self.buffer.extend_from_slice(&data[..data.len().min(room)]);
        while let Some(offset) = self.buffer[self.searched..]
            .iter()
            .position(|&byte| byte == b'\n')
        {
            let start = self.scanned;
            let end = self.searched + offset;
            let line_len = without_cr(&self.buffer[start..end]).len();
            self.scanned = end + 1;
            self.searched = end + 1;
            match self.request_line {
                // Empty lines before the request line are ignored (RFC 9112, 2.2).
                None if line_len == 0 => {}
                None if line_len > HTTP_REQUEST_LINE_LIMIT => {
                    return Some(answer(Status::UriTooLong));
                }
                None => self.request_line = Some((start, start + line_len)),
                Some(_) if line_len > 0 => {}
                Some((from, to)) => {
                    // The blank line: the header is complete.
                    if self.scanned > HTTP_HEADER_LIMIT {
                        return Some(answer(Status::HeaderFieldsTooLarge));
                    }
                    return Some(answer_request_line(&self.buffer[from..to]));
                }
            }
        }
        self.searched = self.buffer.len();
        if self.request_line.is_none()
            && without_cr(&self.buffer[self.scanned..]).len() > HTTP_REQUEST_LINE_LIMIT
        {
            return Some(answer(Status::UriTooLong));
        }
        if self.buffer.len() > HTTP_HEADER_LIMIT {
            return Some(answer(Status::HeaderFieldsTooLarge));
        }
        None
    }
}

fn answer(status: Status) -> Answer {
    Answer {
        status,
        head_only: false,
    }
}

fn without_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// RFC 9110's token characters, which a method is made of.
fn is_token(word: &[u8]) -> bool {
    !word.is_empty()
        && word
            .iter()
            .all(|&byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

fn answer_request_line(line: &[u8]) -> Answer {
    let parts: Vec<&[u8]> = line
        .split(|&byte| byte == b' ' || byte == b'\t')
        .filter(|part| !part.is_empty())
        .collect();
    let [method, _target, version] = parts[..] else {
        return answer(Status::BadRequest);
    };
    if !version.starts_with(b"HTTP/") || !is_token(method) {
        return answer(Status::BadRequest);
    }
    let status = match method {
        b"GET" | b"HEAD" => Status::Ok,
        b"POST" | b"PUT" | b"DELETE" | b"PATCH" | b"OPTIONS" | b"TRACE" | b"CONNECT" => {
            Status::MethodNotAllowed
        }
        _ => Status::NotImplemented,
    };
    Answer {
        status,
        head_only: method == b"HEAD",
    }
}

fn http_response(status: Status, head_only: bool) -> Vec<u8> {
    let body = status.explanation();
    let content_type = if status == Status::Ok {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    let allow = if status == Status::MethodNotAllowed {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    let mut response = format!(
        "HTTP/1.1 {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{allow}Connection: close\r\nServer: socket-workbench\r\n\r\n",
        status.line(),
        body.len()
    )
    .into_bytes();
    if !head_only {
        response.extend_from_slice(body.as_bytes());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{BodyFormat, MatchKind, ReplyRule, SavedMessage};
    use chrono::TimeZone;
    use std::sync::Arc;

    // ----- reply rules -----------------------------------------------------------------------

    fn rules_responder() -> Responder {
        let rule = |kind: MatchKind, pattern: &str, reply: &str| ReplyRule {
            kind,
            pattern: pattern.to_string(),
            format: BodyFormat::Text,
            reply: reply.to_string(),
        };
        let message = |name: &str, body: &str| SavedMessage {
            name: name.to_string(),
            body: body.to_string(),
            ..SavedMessage::default()
        };
        let rules = [
            rule(MatchKind::Prefix, "PING", "pong"),
            rule(MatchKind::Exact, "", "peer"),
        ];
        let messages = [
            message("pong", "PONG ${counter}\\n"),
            message("peer", "${peer}"),
        ];
        Responder::Rules(Arc::new(RuleSet::compile(&rules, &messages).unwrap()))
    }

    #[test]
    fn reply_rules_say_which_rule_answered_and_each_connection_counts_its_own() {
        let responder = rules_responder();
        let mut first = ResponderState::new(responder.clone());
        assert!(first.wants_addresses());
        assert!(!ResponderState::new(Responder::Echo).wants_addresses());
        let reply = first.on_data(b"PING\n", false).unwrap();
        assert_eq!(
            reply,
            Reply {
                data: b"PONG 1\n".to_vec(),
                then_shutdown_write: false,
                rule: Some(1),
                error: None,
            }
        );
        assert_eq!(first.on_data(b"PING\n", false).unwrap().data, b"PONG 2\n");
        let mut second = ResponderState::new(responder.clone());
        assert_eq!(second.on_data(b"PING", false).unwrap().data, b"PONG 1\n");
        assert_eq!(first.on_data(b"nothing", false), None);
        // A stream's EOF is no request; an empty datagram is one (rule 2 matches it whole).
        assert_eq!(first.on_data(b"", false), None);
        let mut udp = ResponderState::new(responder);
        let reply = udp
            .on_data_at(b"", true, Some("127.0.0.1:1"), Some("127.0.0.1:2"))
            .unwrap();
        assert_eq!((reply.data, reply.rule), (b"127.0.0.1:2".to_vec(), Some(2)));
        assert_eq!(udp.on_data(b"x", true), None);
        // No peer to write: the rule matched, its reply is refused with the reason.
        let refused = udp.on_data(b"", true).unwrap();
        assert!(refused.data.is_empty());
        assert_eq!(refused.rule, Some(2));
        let reason = refused.error.unwrap();
        assert!(
            reason.contains("rule 2") && reason.contains("${peer}"),
            "{reason}"
        );
        assert_eq!(udp.deadline(Instant::now()), None);
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn echo_and_uppercase_echo() {
        let mut echo = ResponderState::new(Responder::Echo);
        assert_eq!(echo.on_data(b"hi\n", false).unwrap().data, b"hi\n");
        let mut upper = ResponderState::new(Responder::UppercaseEcho);
        assert_eq!(upper.on_data(b"hello\n", false).unwrap().data, b"HELLO\n");
        assert_eq!(
            upper.on_data("ß中".as_bytes(), false).unwrap().data,
            "SS中".as_bytes()
        );
        assert_eq!(upper.on_data(b"a\xffb", false).unwrap().data, b"A\xffB");
    }

    #[test]
    fn discard_replies_nothing() {
        let mut discard = ResponderState::new(Responder::Discard);
        assert_eq!(discard.on_data(b"x", false), None);
    }

    // ----- c2f -------------------------------------------------------------------------------

    /// (request, Python's `str(float(request) * 1.8 + 32)`), checked with python3.
    const PYTHON_C2F: &[(&str, &str)] = &[
        ("100", "212.0"),
        ("37", "98.60000000000001"),
        ("-40", "-40.0"),
        ("0", "32.0"),
        ("36.6", "97.88000000000001"),
        ("-273.15", "-459.66999999999996"),
        ("0.1", "32.18"),
        ("1e16", "1.8000000000000032e+16"),
        ("1e15", "1800000000000032.0"),
        ("5e15", "9000000000000032.0"),
        ("5555555555555537.7", "1e+16"),
        ("123456789012345678", "2.2222222022222227e+17"),
        ("1e22", "1.8e+22"),
        ("1e100", "1.8e+100"),
        ("-1e100", "-1.8e+100"),
        ("1e300", "1.8e+300"),
        ("5e307", "9e+307"),
        ("-2e307", "-3.6e+307"),
        ("-17.77777777777778", "0.0"),
        ("-17.7777777", "1.3999999737279722e-07"),
        ("-17.7777778", "-3.999999620418748e-08"),
        ("-17.7778", "-3.999999999848569e-05"),
        ("-17.78", "-0.0040000000000048885"),
        ("1e-5", "32.000018"),
        ("2.5e-7", "32.00000045"),
        ("1e-310", "32.0"),
        ("5e-324", "32.0"),
        // Results exactly halfway between two shortest candidates: Python's even digit.
        ("962352023157716.8", "1732233641683922.2"),
        ("1102481449257876.0", "1984466608664208.8"),
        ("-0", "32.0"),
        ("-0.0", "32.0"),
        // The forms float() accepts.
        ("1_000", "1832.0"),
        ("1_0.5", "50.900000000000006"),
        ("1e1_0", "18000000032.0"),
        (" +5 ", "41.0"),
        (".5", "32.9"),
        ("5.", "41.0"),
        ("1e3", "1832.0"),
        ("1E3", "1832.0"),
        ("1.e5", "180032.0"),
        ("  37\t", "98.60000000000001"),
        ("\x0b37\x0c", "98.60000000000001"),
        ("\u{a0}37\u{3000}", "98.60000000000001"),
        ("\u{85}37\u{2028}", "98.60000000000001"),
    ];

    #[test]
    fn c2f_replies_exactly_what_python_prints() {
        for (request, python) in PYTHON_C2F {
            assert_eq!(
                text(celsius_reply(request.as_bytes())),
                *python,
                "{request:?}"
            );
        }
        // The request's line ending is kept.
        assert_eq!(celsius_reply(b"37\n"), b"98.60000000000001\n");
        assert_eq!(celsius_reply(b"-40\r\n"), b"-40.0\r\n");
        let mut c2f = ResponderState::new(Responder::CelsiusToFahrenheit);
        assert_eq!(c2f.on_data(b"37", true).unwrap().data, b"98.60000000000001");
    }

    #[test]
    fn python_float_repr_matches_python() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (0.1, "0.1"),
            (0.3, "0.3"),
            (2.0 / 3.0, "0.6666666666666666"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (0.00012345, "0.00012345"),
            (1.5e-7, "1.5e-07"),
            (-1.25e-10, "-1.25e-10"),
            (123456789.125, "123456789.125"),
            (5e-324, "5e-324"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (1e21, "1e+21"),
            (1e22, "1e+22"),
            (12345678901234567890.0, "1.2345678901234567e+19"),
            // Exactly halfway between two shortest candidates: Python takes the even digit.
            (2053637337633904.0 + 0.25, "2053637337633904.2"),
            (111659285584252.0 + 0.125, "111659285584252.12"),
            (-233891771783429.0 - 0.625, "-233891771783429.62"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (value, python) in cases {
            assert_eq!(python_float_repr(*value), *python, "{value:e}");
        }
    }

    #[test]
    fn c2f_explains_what_python_float_rejects() {
        for request in [
            "abc", "warm", "", "   ", "1__0", "_1", "1_", "1_.5", "1._5", "1e_5", "0x10", "1e",
            ".", "1 000", "1,5", "infinite", "37 C",
        ] {
            let reply = text(celsius_reply(request.as_bytes()));
            assert_eq!(
                reply,
                format!(
                    "error: '{}' is not a number of degrees Celsius",
                    request.trim()
                )
            );
        }
        assert_eq!(
            celsius_reply(b"abc\r\n"),
            b"error: 'abc' is not a number of degrees Celsius\r\n"
        );
        assert_eq!(
            celsius_reply(b"\xff\xfe"),
            b"error: the request is not UTF-8 text"
        );
        // A long request is quoted in part only, and control characters are escaped.
        let long = text(celsius_reply("x".repeat(10_000).as_bytes()));
        assert!(long.len() < 200, "{long}");
        assert_eq!(
            text(celsius_reply(b"a\x07b")),
            "error: 'a\\u{7}b' is not a number of degrees Celsius"
        );
    }

    #[test]
    fn c2f_refuses_infinity_nan_and_overflow() {
        for request in [
            "inf",
            "INF",
            "-inf",
            "nan",
            "NaN",
            "-nan",
            "+nan",
            "-Infinity",
            "iNfInItY",
        ] {
            let reply = text(celsius_reply(request.as_bytes()));
            assert_eq!(
                reply,
                format!("error: '{request}' is not a finite temperature")
            );
        }
        for request in ["1e308", "-1e308", "1.7976931348623157e308", "1e400"] {
            let reply = text(celsius_reply(request.as_bytes()));
            assert!(reply.starts_with("error: "), "{request}: {reply}");
            assert!(!reply.contains("inf") || request == "1e400", "{reply}");
        }
        assert_eq!(
            text(celsius_reply(b"1e308")),
            "error: 1e308 degrees Celsius is out of range (the result overflows)"
        );
    }

    // ----- time ------------------------------------------------------------------------------

    fn fixed_now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 24, 18, 30, 5)
            .unwrap()
    }

    #[test]
    fn time_server_uses_the_requested_format_or_a_default() {
        let now = fixed_now();
        assert_eq!(time_reply(b"%H:%M", now), b"18:30");
        assert_eq!(time_reply(b"", now), b"2026-11-24 18:30:05");
        assert_eq!(time_reply(b"%Y\n", now), b"2026\n");
        assert_eq!(time_reply(b"%%Y", now), b"%Y");
        let bad = text(time_reply(b"%Q", now));
        assert!(
            bad.starts_with("error: '%Q' is not a valid strftime format"),
            "{bad}"
        );
        // A fixed-offset zone formats %z and %:z.
        let east = chrono::FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
            .unwrap();
        assert_eq!(time_reply(b"%z %:z", east), b"+0100 +01:00");
    }

    #[test]
    fn time_server_never_panics_on_hostile_formats() {
        let now = fixed_now();
        for format in [
            "%#z",
            "%",
            "%Q",
            "%%%",
            "%-",
            "%_",
            "%0",
            "%.",
            "%.9",
            "%:",
            "%::",
            "%:::::z",
            "%3",
            "%E",
            "%O",
            "%#",
            "%#Y",
            "%Y%",
            "abc%",
            "%-%",
            "%\u{1F600}",
            "%\t",
        ] {
            let reply = text(time_reply(format.as_bytes(), now));
            assert_eq!(
                reply,
                format!(
                    "error: '{format}' is not a valid strftime format (try {DEFAULT_TIME_FORMAT})"
                )
                .replace('\t', "\\t"),
                "{format:?}"
            );
        }
        // The same through the responder, with the local time zone.
        let mut time = ResponderState::new(Responder::TimeServer);
        for format in ["%#z", "%", "%Q", "%%%", "%-"] {
            let reply = text(time.on_data(format.as_bytes(), false).unwrap().data);
            assert!(reply.starts_with("error: "), "{format}: {reply}");
        }
        // Every specifier chrono knows still works with a local DateTime.
        let all = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %:z %Z %+ %.f %.3f %f";
        let reply = text(time.on_data(all.as_bytes(), false).unwrap().data);
        assert!(!reply.starts_with("error"), "{reply}");
    }

    #[test]
    fn time_server_bounds_the_format_and_the_reply() {
        let now = fixed_now();
        let huge = "%Y".repeat(10_000);
        assert_eq!(
            text(time_reply(huge.as_bytes(), now)),
            "error: the format is 20000 bytes long; at most 256 are accepted"
        );
        let longest = "%c".repeat(128);
        let reply = time_reply(longest.as_bytes(), now);
        assert!(!reply.starts_with(b"error"));
        assert!(reply.len() <= 128 * 24, "{}", reply.len());
        assert!(time_reply("%c".repeat(129).as_bytes(), now).starts_with(b"error: the format"));
        assert_eq!(
            time_reply(b"%Y\xff\xfe", now),
            b"error: the request is not UTF-8 text"
        );
        assert_eq!(
            time_reply(b"\xc3\n", now),
            b"error: the request is not UTF-8 text\n"
        );
    }

    // ----- half-closed requests --------------------------------------------------------------

    #[test]
    fn a_half_closed_request_is_answered_once() {
        let requests: [(Responder, &[u8]); 6] = [
            (Responder::Echo, b"hello\n"),
            (Responder::UppercaseEcho, b"hello\n"),
            (Responder::TimeServer, b"%Y\n"),
            (Responder::CelsiusToFahrenheit, b"37\n"),
            (Responder::HttpHello, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            (Responder::Discard, b"x"),
        ];
        for (responder, request) in requests {
            let mut state = ResponderState::new(responder.clone());
            let first = state.on_data(request, false);
            if matches!(responder, Responder::Discard) {
                assert_eq!(first, None);
            } else {
                let first = first.unwrap();
                assert!(!first.data.is_empty(), "{responder:?}");
                assert!(!first.data.starts_with(b"error"), "{responder:?}");
            }
            // The peer's shutdown(SHUT_WR): recv returns b"".
            assert_eq!(state.on_data(b"", false), None, "{responder:?}");
            assert_eq!(state.on_data(b"", false), None, "{responder:?}");
        }
        // An HTTP request cut short by EOF is not answered either: the worker closes.
        let mut http = ResponderState::new(Responder::HttpHello);
        assert_eq!(http.on_data(b"GET / HTTP/1.1\r\n", false), None);
        assert_eq!(http.on_data(b"", false), None);
    }

    #[test]
    fn an_empty_datagram_is_a_request() {
        let mut echo = ResponderState::new(Responder::Echo);
        assert_eq!(echo.on_data(b"", true).unwrap().data, b"");
        let mut c2f = ResponderState::new(Responder::CelsiusToFahrenheit);
        assert_eq!(
            c2f.on_data(b"", true).unwrap().data,
            b"error: '' is not a number of degrees Celsius"
        );
        let mut time = ResponderState::new(Responder::TimeServer);
        assert!(!time.on_data(b"", true).unwrap().data.is_empty());
    }

    // ----- HTTP ------------------------------------------------------------------------------

    /// Sends the request in one piece; the status line, headers and body of the answer.
    fn http(request: &[u8]) -> (String, String, String) {
        let mut state = ResponderState::new(Responder::HttpHello);
        let reply = state.on_data(request, false).unwrap();
        assert!(reply.then_shutdown_write);
        split_response(reply.data)
    }

    fn split_response(data: Vec<u8>) -> (String, String, String) {
        let response = text(data);
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let (status, headers) = head.split_once("\r\n").unwrap();
        assert!(headers.contains("\r\nConnection: close"), "{headers}");
        (status.to_string(), headers.to_string(), body.to_string())
    }

    fn content_length(headers: &str) -> usize {
        headers
            .lines()
            .find_map(|line| line.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn http_waits_for_the_whole_request_then_answers_once() {
        let mut http = ResponderState::new(Responder::HttpHello);
        assert_eq!(http.on_data(b"GET / HTTP/1.1\r\nHost: x\r\n", false), None);
        assert_eq!(http.on_data(b"\r", false), None);
        let reply = http.on_data(b"\n", false).unwrap();
        assert!(reply.then_shutdown_write);
        let (status, headers, body) = split_response(reply.data);
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert_eq!(content_length(&headers), body.len());
        assert!(body.contains("Hello World"));
        assert_eq!(http.on_data(b"GET / HTTP/1.1\r\n\r\n", false), None);
        // Byte by byte, bare LF line endings, leading empty lines.
        let mut http = ResponderState::new(Responder::HttpHello);
        let request = b"\r\n\nGET /x HTTP/1.0\nHost: x\n\n";
        for (index, byte) in request.iter().enumerate() {
            let reply = http.on_data(&[*byte], false);
            assert_eq!(reply.is_some(), index == request.len() - 1, "{index}");
        }
    }

    #[test]
    fn http_head_gets_the_headers_only() {
        let (status, headers, body) = http(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert_eq!(content_length(&headers), HELLO_PAGE.len());
        assert_eq!(body, "");
    }

    #[test]
    fn http_known_methods_it_does_not_serve_get_405() {
        for method in [
            "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
        ] {
            let request = format!("{method} / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
            let (status, headers, body) = http(request.as_bytes());
            assert_eq!(status, "HTTP/1.1 405 Method Not Allowed", "{method}");
            assert!(headers.contains("\r\nAllow: GET, HEAD\r\n"), "{headers}");
            assert_eq!(content_length(&headers), body.len());
            assert!(!body.is_empty());
        }
    }

    #[test]
    fn http_unknown_methods_get_501() {
        for method in ["BREW", "get", "PROPFIND", "X-CUSTOM"] {
            let request = format!("{method} / HTTP/1.1\r\n\r\n");
            let (status, headers, body) = http(request.as_bytes());
            assert_eq!(status, "HTTP/1.1 501 Not Implemented", "{method}");
            assert!(!headers.contains("Allow:"));
            assert_eq!(content_length(&headers), body.len());
        }
    }

    #[test]
    fn http_malformed_request_lines_get_400() {
        for request in [
            &b"GET /\r\n\r\n"[..],
            b"GET\r\n\r\n",
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"GET / FTP/1.0\r\n\r\n",
            b"GET / http/1.1\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"hello\n\n",
            b"\xff\xfe / HTTP/1.1\r\n\r\n",
        ] {
            let (status, headers, body) = http(request);
            assert_eq!(status, "HTTP/1.1 400 Bad Request", "{request:?}");
            assert_eq!(content_length(&headers), body.len());
        }
    }

    #[test]
    fn http_request_line_over_8_kib_gets_414() {
        let target = "a".repeat(HTTP_REQUEST_LINE_LIMIT);
        // Complete, but too long.
        let (status, headers, body) = http(format!("GET /{target} HTTP/1.1\r\n\r\n").as_bytes());
        assert_eq!(status, "HTTP/1.1 414 URI Too Long");
        assert_eq!(content_length(&headers), body.len());
        // Not even complete: answered as soon as it is too long.
        let mut state = ResponderState::new(Responder::HttpHello);
        assert_eq!(state.on_data(b"GET /", false), None);
        let reply = state.on_data(target.as_bytes(), false).unwrap();
        assert!(text(reply.data).starts_with("HTTP/1.1 414 URI Too Long\r\n"));
        // Exactly 8 KiB is fine.
        let exact = format!("GET /{} HTTP/1.1", "a".repeat(HTTP_REQUEST_LINE_LIMIT - 14));
        assert_eq!(exact.len(), HTTP_REQUEST_LINE_LIMIT);
        let (status, _, _) = http(format!("{exact}\r\n\r\n").as_bytes());
        assert_eq!(status, "HTTP/1.1 200 OK");
        let (status, _, _) = http(format!("{exact}\n\n").as_bytes());
        assert_eq!(status, "HTTP/1.1 200 OK");
        let (status, _, _) = http(format!("{exact}a\r\n\r\n").as_bytes());
        assert_eq!(status, "HTTP/1.1 414 URI Too Long");
    }

    #[test]
    fn http_header_over_32_kib_gets_431_and_is_not_buffered_further() {
        let mut state = ResponderState::new(Responder::HttpHello);
        assert_eq!(state.on_data(b"GET / HTTP/1.1\r\n", false), None);
        let field = format!("X-Filler: {}\r\n", "f".repeat(1000));
        let mut reply = None;
        for _ in 0..40 {
            reply = state.on_data(field.as_bytes(), false);
            if reply.is_some() {
                break;
            }
            assert!(state.request.buffer.len() <= HTTP_HEADER_LIMIT + 1);
        }
        let (status, headers, body) = split_response(reply.unwrap().data);
        assert_eq!(status, "HTTP/1.1 431 Request Header Fields Too Large");
        assert_eq!(content_length(&headers), body.len());
        // One huge chunk is cut at the cap too.
        let mut state = ResponderState::new(Responder::HttpHello);
        let huge = vec![b'\n'; 1 << 20];
        let reply = state.on_data(&huge, false).unwrap();
        assert!(text(reply.data).starts_with("HTTP/1.1 431 "));
    }

    #[test]
    fn http_datagrams_are_requests_of_their_own() {
        let mut state = ResponderState::new(Responder::HttpHello);
        let reply = state.on_data(b"GET / HTTP/1.0\r\n\r\n", true).unwrap();
        assert!(!reply.then_shutdown_write);
        let reply = state.on_data(b"PUT / HTTP/1.0\r\n\r\n", true).unwrap();
        assert!(text(reply.data).starts_with("HTTP/1.1 405 "));
        assert_eq!(state.on_data(b"GET / HTTP/1.0\r\n", true), None);
    }

    #[test]
    fn http_drops_a_client_that_is_too_slow_with_408() {
        let start = Instant::now();
        let mut state = ResponderState::new(Responder::HttpHello);
        let deadline = state.deadline(start).unwrap();
        assert_eq!(deadline, start + HTTP_HEADER_TIMEOUT);
        // The clock does not restart when asked again or when data arrives.
        assert_eq!(
            state.deadline(start + Duration::from_secs(1)),
            Some(deadline)
        );
        assert_eq!(state.on_data(b"GET / HTTP/1.1\r\n", false), None);
        assert_eq!(
            state.deadline(start + Duration::from_secs(2)),
            Some(deadline)
        );
        assert_eq!(state.on_timer(deadline - Duration::from_millis(1)), None);
        let reply = state.on_timer(deadline).unwrap();
        assert!(reply.then_shutdown_write);
        let (status, headers, body) = split_response(reply.data);
        assert_eq!(status, "HTTP/1.1 408 Request Timeout");
        assert_eq!(content_length(&headers), body.len());
        // Once: no more timer, and a late header is not answered.
        assert_eq!(state.deadline(deadline), None);
        assert_eq!(state.on_timer(deadline + HTTP_HEADER_TIMEOUT), None);
        assert_eq!(state.on_data(b"\r\n", false), None);
    }

    #[test]
    fn http_timer_stops_once_answered_and_only_http_has_one() {
        let start = Instant::now();
        let mut state = ResponderState::new(Responder::HttpHello);
        // Data before the worker asked: the clock starts with it.
        assert_eq!(state.on_data(b"GET / HT", false), None);
        let deadline = state.deadline(start + Duration::from_secs(3)).unwrap();
        assert!(deadline <= Instant::now() + HTTP_HEADER_TIMEOUT);
        assert!(state.on_data(b"TP/1.1\r\n\r\n", false).is_some());
        assert_eq!(state.deadline(start), None);
        assert_eq!(state.on_timer(start + Duration::from_secs(60)), None);
        for responder in Responder::ALL {
            if matches!(responder, Responder::HttpHello) {
                continue;
            }
            let mut state = ResponderState::new(responder);
            assert_eq!(state.deadline(start), None);
            assert_eq!(state.on_timer(start + Duration::from_secs(60)), None);
        }
    }
}
