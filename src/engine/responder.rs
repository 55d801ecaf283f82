//! Canned replies for automatic servers. Pure functions of the bytes received, so they are
//! tested without sockets; the socket thread sends what they return.

use super::command::Responder;
use chrono::format::{Item, StrftimeItems};

/// What to send back after a chunk arrived.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    pub data: Vec<u8>,
    /// Stream sockets: shut down the write side after sending (HTTP with Connection: close).
    pub then_shutdown_write: bool,
}

impl Reply {
    fn data(data: Vec<u8>) -> Option<Reply> {
        Some(Reply {
            data,
            then_shutdown_write: false,
        })
    }
}

pub(crate) const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
const HTTP_REQUEST_LIMIT: usize = 64 * 1024;

pub(crate) const HELLO_PAGE: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
<title>Hello from Socket Workbench</title></head>\n<body><h1>Hello World</h1>\n\
<p>This page was sent by a socket in Socket Workbench.</p></body></html>\n";

/// Per-connection state of a responder (HTTP needs to collect the whole request).
#[derive(Debug)]
pub(crate) struct ResponderState {
    responder: Responder,
    request: Vec<u8>,
    answered: bool,
}

impl ResponderState {
    pub fn new(responder: Responder) -> Self {
        ResponderState {
            responder,
            request: Vec::new(),
            answered: false,
        }
    }

    pub fn responder(&self) -> &Responder {
        &self.responder
    }

    /// The reply to one received chunk (a TCP read or a UDP datagram), if any.
    pub fn on_data(&mut self, data: &[u8], is_datagram: bool) -> Option<Reply> {
        match self.responder {
            Responder::Echo => Reply::data(data.to_vec()),
            Responder::UppercaseEcho => Reply::data(uppercase(data)),
            Responder::Discard => None,
            Responder::TimeServer => Reply::data(time_reply(data, chrono::Local::now())),
            Responder::CelsiusToFahrenheit => Reply::data(celsius_reply(data)),
            Responder::HttpHello => {
                if is_datagram {
                    self.request.clear();
                    self.answered = false;
                }
                if self.answered {
                    return None;
                }
                self.request.extend_from_slice(data);
                let complete = find(&self.request, b"\r\n\r\n").is_some()
                    || find(&self.request, b"\n\n").is_some()
                    || self.request.len() >= HTTP_REQUEST_LIMIT;
                if !complete {
                    return None;
                }
                self.answered = true;
                Some(Reply {
                    data: http_response(&self.request),
                    then_shutdown_write: !is_datagram,
                })
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
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

pub(crate) fn time_reply<Tz: chrono::TimeZone>(data: &[u8], now: chrono::DateTime<Tz>) -> Vec<u8>
where
    Tz::Offset: std::fmt::Display,
{
    let reply = match request_text(data) {
        Err(message) => message,
        Ok(format) => {
            let format = if format.trim().is_empty() {
                DEFAULT_TIME_FORMAT
            } else {
                format
            };
            let items: Vec<Item<'_>> = StrftimeItems::new(format).collect();
            if items.iter().any(|item| matches!(item, Item::Error)) {
                format!(
                    "error: '{format}' is not a valid strftime format (try {DEFAULT_TIME_FORMAT})"
                )
            } else {
                now.format_with_items(items.into_iter()).to_string()
            }
        }
    };
    with_line_ending(data, reply)
}

pub(crate) fn celsius_reply(data: &[u8]) -> Vec<u8> {
    let reply = match request_text(data) {
        Err(message) => message,
        Ok(text) => match text.trim().parse::<f64>() {
            Ok(celsius) if celsius.is_finite() => {
                let fahrenheit = celsius * 9.0 / 5.0 + 32.0;
                format!("{fahrenheit:.1}")
            }
            _ => format!(
                "error: '{}' is not a number of degrees Celsius",
                text.trim()
            ),
        },
    };
    with_line_ending(data, reply)
}

fn http_response(request: &[u8]) -> Vec<u8> {
    let is_http = request.starts_with(b"GET ") || request.starts_with(b"HEAD ");
    let (status, body) = if is_http {
        ("200 OK", HELLO_PAGE.to_string())
    } else {
        (
            "400 Bad Request",
            "This server only answers HTTP GET requests.\n".to_string(),
        )
    };
    let content_type = if is_http {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\nServer: socket-workbench\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if !request.starts_with(b"HEAD ") {
        response.extend_from_slice(body.as_bytes());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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

    #[test]
    fn celsius_converts_and_explains_bad_input() {
        assert_eq!(celsius_reply(b"100"), b"212.0");
        assert_eq!(celsius_reply(b"-40\n"), b"-40.0\n");
        assert_eq!(celsius_reply(b"36.6\r\n"), b"97.9\r\n");
        assert_eq!(
            celsius_reply(b"warm"),
            b"error: 'warm' is not a number of degrees Celsius"
        );
        assert_eq!(
            celsius_reply(b"inf"),
            b"error: 'inf' is not a number of degrees Celsius"
        );
    }

    #[test]
    fn time_server_uses_the_requested_format_or_a_default() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 24, 18, 30, 5)
            .unwrap();
        assert_eq!(time_reply(b"%H:%M", now), b"18:30");
        assert_eq!(time_reply(b"", now), b"2026-11-24 18:30:05");
        assert_eq!(time_reply(b"%Y\n", now), b"2026\n");
        let bad = String::from_utf8(time_reply(b"%Q", now)).unwrap();
        assert!(
            bad.starts_with("error: '%Q' is not a valid strftime format"),
            "{bad}"
        );
    }

    #[test]
    fn http_waits_for_the_whole_request_then_answers_once() {
        let mut http = ResponderState::new(Responder::HttpHello);
        assert_eq!(http.on_data(b"GET / HTTP/1.1\r\nHost: x\r\n", false), None);
        let reply = http.on_data(b"\r\n", false).unwrap();
        assert!(reply.then_shutdown_write);
        let text = String::from_utf8(reply.data).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert!(body.contains("Hello World"));
        assert_eq!(http.on_data(b"GET / HTTP/1.1\r\n\r\n", false), None);
    }
}
