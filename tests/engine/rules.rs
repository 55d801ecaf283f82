//! Reply rules on real sockets: a TCP server and a UDP socket answering by rules, the first
//! match winning, counters advancing per connection, no reply where no rule matches, and the
//! rule that answered kept on the session's record of the reply's send.

use crate::common::{Bench, WAIT, loopback, socket_addr};
use socket_workbench::engine::{
    Automation, Call, Event, Family, Origin, Responder, SockType, SocketId,
};
use socket_workbench::messages::rules::RuleSet;
use socket_workbench::messages::{BodyFormat, MatchKind, ReplyRule, SavedMessage};
use socket_workbench::session::{LogEntry, Session};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

/// How long a client waits to be sure no reply comes.
const SILENCE: Duration = Duration::from_millis(300);

fn rule(kind: MatchKind, pattern: &str, format: BodyFormat, reply: &str) -> ReplyRule {
    ReplyRule {
        kind,
        pattern: pattern.to_string(),
        format,
        reply: reply.to_string(),
    }
}

fn message(name: &str, body: &str, format: BodyFormat) -> SavedMessage {
    SavedMessage {
        name: name.to_string(),
        body: body.to_string(),
        format,
        ..SavedMessage::default()
    }
}

fn rules(rules: &[ReplyRule], messages: &[SavedMessage]) -> Responder {
    let set = RuleSet::compile(rules, messages).unwrap_or_else(|error| panic!("{error}"));
    Responder::Rules(Arc::new(set))
}

/// The two rules of a small text server.
fn ping_and_get() -> Responder {
    rules(
        &[
            rule(MatchKind::Prefix, "PING", BodyFormat::Text, "pong"),
            rule(MatchKind::Regex, r"^GET (\S+)", BodyFormat::Text, "page"),
        ],
        &[
            message("pong", "PONG ${counter}\\n", BodyFormat::Text),
            message(
                "page",
                "HTTP/1.0 200 OK\\r\\n\\r\\npage ${counter}",
                BodyFormat::Text,
            ),
        ],
    )
}

/// Writes `request` and reads what comes back within `wait` (empty: nothing came).
fn ask(stream: &mut TcpStream, request: &[u8], wait: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(wait)).expect("read timeout");
    stream.write_all(request).expect("write");
    let mut reply = vec![0; 4096];
    match stream.read(&mut reply) {
        Ok(count) => {
            reply.truncate(count);
            reply
        }
        Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            Vec::new()
        }
        Err(error) => panic!("read: {error}"),
    }
}

/// The automatic sends in the session built from the events seen so far: their bytes and the
/// rule each answered by.
fn rule_sends(bench: &mut Bench) -> Vec<(Vec<u8>, Option<u32>)> {
    bench.pump(Duration::from_millis(200));
    let mut session = Session::default();
    session.apply_all(bench.seen.iter().cloned());
    session
        .log()
        .filter_map(|entry| match entry {
            LogEntry::Call(record) if record.origin == Origin::Auto => match &record.call {
                Call::Send { data } | Call::SendTo { data, .. } => {
                    Some((data.clone(), record.reply_rule))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn a_tcp_server_answers_by_the_first_matching_rule_and_counts_per_connection() {
    let mut bench = Bench::new();
    let (_listener, address) = bench.automatic_server(ping_and_get());
    let mut client = TcpStream::connect(socket_addr(&address)).expect("connect");
    assert_eq!(ask(&mut client, b"PING\n", WAIT), b"PONG 1\n");
    assert_eq!(ask(&mut client, b"PING again\n", WAIT), b"PONG 2\n");
    assert_eq!(
        ask(&mut client, b"GET /index.html HTTP/1.0\r\n\r\n", WAIT),
        b"HTTP/1.0 200 OK\r\n\r\npage 1"
    );
    // No rule matches: no reply, and the connection still serves.
    assert_eq!(ask(&mut client, b"hello\n", SILENCE), b"");
    assert_eq!(ask(&mut client, b" GET /\n", SILENCE), b"");
    assert_eq!(ask(&mut client, b"PING\n", WAIT), b"PONG 3\n");
    // Another client counts from 1.
    let mut other = TcpStream::connect(socket_addr(&address)).expect("connect");
    assert_eq!(ask(&mut other, b"PING\n", WAIT), b"PONG 1\n");

    let sends = rule_sends(&mut bench);
    let expected: Vec<(Vec<u8>, Option<u32>)> = vec![
        (b"PONG 1\n".to_vec(), Some(1)),
        (b"PONG 2\n".to_vec(), Some(1)),
        (b"HTTP/1.0 200 OK\r\n\r\npage 1".to_vec(), Some(2)),
        (b"PONG 3\n".to_vec(), Some(1)),
        (b"PONG 1\n".to_vec(), Some(1)),
    ];
    assert_eq!(sends, expected);
    // The engine said it with the send: between the send's start and its return.
    let said: Vec<u32> = bench
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::ReplyRule { rule, .. } => Some(*rule),
            _ => None,
        })
        .collect();
    assert_eq!(said, [1, 1, 2, 1, 1]);
}

#[test]
fn a_udp_socket_matches_each_datagram_whole_and_replies_to_its_sender() {
    let mut bench = Bench::new();
    let server = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(server, Call::Bind(loopback(Family::Ipv4)));
    let address = bench.local(server);
    let responder = rules(
        &[
            rule(MatchKind::Exact, "TIME?", BodyFormat::Text, "count"),
            rule(
                MatchKind::Exact,
                "01 03 00 00 00 01",
                BodyFormat::Hex,
                "register",
            ),
            rule(MatchKind::Regex, "^01 06", BodyFormat::Hex, "write"),
        ],
        &[
            message("count", "answer ${counter} to ${peer}", BodyFormat::Text),
            message(
                "register",
                "01 03 02 00 2A ${crc16_modbus}",
                BodyFormat::Hex,
            ),
            message("write", "01 06 ${crc16_modbus}", BodyFormat::Hex),
        ],
    );
    bench.automate(
        server,
        Automation {
            auto_receive: true,
            responder: Some(responder),
            ..Automation::default()
        },
    );
    let client = UdpSocket::bind("127.0.0.1:0").expect("bind");
    client.connect(socket_addr(&address)).expect("connect");
    let me = client.local_addr().expect("local address");
    let request = |request: &[u8], wait: Duration| -> Vec<u8> {
        client.set_read_timeout(Some(wait)).expect("timeout");
        client.send(request).expect("send");
        let mut reply = vec![0; 2048];
        match client.recv(&mut reply) {
            Ok(count) => {
                reply.truncate(count);
                reply
            }
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                b"(nothing)".to_vec()
            }
            Err(error) => panic!("recv: {error}"),
        }
    };
    assert_eq!(
        request(b"TIME?", WAIT),
        format!("answer 1 to {me}").into_bytes()
    );
    // Matched whole: a longer or shorter datagram is another request.
    assert_eq!(request(b"TIME?\n", SILENCE), b"(nothing)");
    assert_eq!(request(b"TIME", SILENCE), b"(nothing)");
    assert_eq!(
        request(b"TIME?", WAIT),
        format!("answer 2 to {me}").into_bytes()
    );
    assert_eq!(
        request(&[1, 3, 0, 0, 0, 1], WAIT),
        [1, 3, 2, 0, 0x2a, 0x39, 0x9b]
    );
    assert_eq!(request(&[1, 3, 0, 0, 0, 2], SILENCE), b"(nothing)");
    let written = request(&[1, 6, 0, 1, 0, 3], WAIT);
    assert_eq!(&written[..2], [1, 6]);
    assert_eq!(written.len(), 4);

    let sends = rule_sends(&mut bench);
    let rules: Vec<Option<u32>> = sends.iter().map(|(_, rule)| *rule).collect();
    assert_eq!(rules, [Some(1), Some(1), Some(2), Some(3)]);
    assert_eq!(sends[2].0, [1, 3, 2, 0, 0x2a, 0x39, 0x9b]);
}

#[test]
fn other_responders_sends_carry_no_rule() {
    let mut bench = Bench::new();
    let (_listener, address) = bench.automatic_server(Responder::Echo);
    let mut client = TcpStream::connect(socket_addr(&address)).expect("connect");
    assert_eq!(ask(&mut client, b"PING\n", WAIT), b"PING\n");
    assert_eq!(rule_sends(&mut bench), [(b"PING\n".to_vec(), None)]);
    assert!(
        !bench
            .seen
            .iter()
            .any(|event| matches!(event, Event::ReplyRule { .. }))
    );
}

/// A workbench client on the same engine: the reply's send and the client's recv are both
/// ours, and the rule is on the server side's send only.
#[test]
fn a_workbench_client_gets_the_rules_reply() {
    let mut bench = Bench::new();
    let (_listener, address) = bench.automatic_server(ping_and_get());
    let client: SocketId = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(client, Call::Connect(address));
    bench.ok(client, Call::SetTimeout(Some(5000)));
    bench.send(client, b"PING");
    assert_eq!(bench.recv(client, 100).as_deref(), Some(&b"PONG 1\n"[..]));
    bench.send(client, b"GET / HTTP/1.0\r\n\r\n");
    let page = bench.recv(client, 100).unwrap_or_default();
    assert_eq!(page, b"HTTP/1.0 200 OK\r\n\r\npage 1");
    let sends = rule_sends(&mut bench);
    let automatic: Vec<Option<u32>> = sends.iter().map(|(_, rule)| *rule).collect();
    assert_eq!(automatic, [Some(1), Some(2)]);
}
