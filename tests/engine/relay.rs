//! The relay between programs that are not the workbench (std sockets on 127.0.0.1, port 0):
//! forwarding both ways, half-close and RST passed on, and faults switched while bytes flow.

use socket_workbench::engine::relay::{Faults, RelayEvent, RelayId, RelaySpec, Slicer, Way};
use socket_workbench::engine::{Engine, Event, EventReceiver};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(10);

struct Relay {
    engine: Engine,
    events: EventReceiver,
    seen: Vec<RelayEvent>,
    id: RelayId,
    address: SocketAddr,
}

impl Relay {
    /// A relay on 127.0.0.1:0 in front of `target`.
    fn to(target: SocketAddr) -> Relay {
        let (engine, events) = Engine::new(|| {});
        let id = engine
            .open_relay(RelaySpec {
                listen: "127.0.0.1:0".parse().unwrap(),
                target,
                seed: 7,
            })
            .expect("relay starts");
        let mut relay = Relay {
            engine,
            events,
            seen: Vec::new(),
            id,
            address: "127.0.0.1:0".parse().unwrap(),
        };
        let listening = relay.wait_for(|event| matches!(event, RelayEvent::Listening { .. }));
        let RelayEvent::Listening { local, .. } = listening else {
            unreachable!()
        };
        relay.address = local;
        relay
    }

    /// Takes events until one matches (or fails the test after LIMIT).
    fn wait_for(&mut self, wanted: impl Fn(&RelayEvent) -> bool) -> RelayEvent {
        if let Some(found) = self.seen.iter().find(|event| wanted(event)) {
            return found.clone();
        }
        let started = Instant::now();
        while started.elapsed() < LIMIT {
            if let Some(Event::Relay(event)) = self.events.recv_timeout(Duration::from_millis(50)) {
                self.seen.push(event.clone());
                if wanted(&event) {
                    return event;
                }
            }
        }
        panic!(
            "no such relay event within {LIMIT:?}; seen: {:#?}",
            self.seen
        );
    }

    fn moved(&self, way: Way) -> Vec<usize> {
        self.seen
            .iter()
            .filter_map(|event| match event {
                RelayEvent::Moved {
                    way: moved, bytes, ..
                } if *moved == way => Some(*bytes),
                _ => None,
            })
            .collect()
    }

    fn set(&mut self, way: Way, faults: Faults) {
        assert!(self.engine.set_relay_faults(self.id, way, faults.clone()));
        self.wait_for(|event| {
            matches!(event, RelayEvent::FaultsSet { way: set, faults: now, .. } if *set == way && *now == faults)
        });
    }
}

/// A server that echoes each connection until its EOF, then closes it.
fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                while let Ok(count) = stream.read(&mut buffer) {
                    if count == 0 || stream.write_all(&buffer[..count]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    address
}

fn client(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(LIMIT)).unwrap();
    stream
}

fn read_to_end(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    stream.read_to_end(&mut all)?;
    Ok(all)
}

#[test]
fn relay_forwards_both_ways_and_passes_the_half_close_on() {
    let mut relay = Relay::to(echo_server());
    let mut stream = client(relay.address);
    stream.write_all(b"hello through the relay").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(
        read_to_end(&mut stream).unwrap(),
        b"hello through the relay"
    );
    let ended = relay.wait_for(|event| matches!(event, RelayEvent::Ended { .. }));
    assert!(
        matches!(
            ended,
            RelayEvent::Ended {
                upstream_bytes: 23,
                downstream_bytes: 23,
                ..
            }
        ),
        "{ended:?}"
    );
    for way in Way::BOTH {
        relay.wait_for(
            |event| matches!(event, RelayEvent::HalfClosed { way: closed, .. } if *closed == way),
        );
        assert_eq!(relay.moved(way).iter().sum::<usize>(), 23);
    }
    relay.wait_for(|event| matches!(event, RelayEvent::Accepted { .. }));
    relay.wait_for(|event| matches!(event, RelayEvent::Connected { .. }));
}

#[test]
fn a_reset_from_the_server_reaches_the_client_as_a_reset() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = listener.local_addr().unwrap();
    let mut relay = Relay::to(target);
    let mut stream = client(relay.address);
    let (server_side, _) = listener.accept().unwrap();
    // Once the relay has its connection (a reset before that is the connect's own error).
    relay.wait_for(|event| matches!(event, RelayEvent::Connected { .. }));
    // linger 0: close sends RST.
    socket2::SockRef::from(&server_side)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(server_side);
    let error = read_to_end(&mut stream).expect_err("a reset, not an EOF");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    relay.wait_for(|event| {
        matches!(
            event,
            RelayEvent::Reset {
                way: Way::Downstream,
                by_fault: false,
                ..
            }
        )
    });
}

#[test]
fn latency_delays_each_byte_by_at_least_its_time() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut relay = Relay::to(listener.local_addr().unwrap());
    relay.set(
        Way::Upstream,
        Faults {
            latency_ms: 200,
            ..Faults::default()
        },
    );
    let mut stream = client(relay.address);
    let (mut server_side, _) = listener.accept().unwrap();
    server_side.set_read_timeout(Some(LIMIT)).unwrap();
    let sent = Instant::now();
    stream.write_all(b"late").unwrap();
    let mut got = [0u8; 4];
    server_side.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"late");
    assert!(
        sent.elapsed() >= Duration::from_millis(200),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn the_slicer_cuts_what_the_server_sent_into_small_pieces() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut relay = Relay::to(listener.local_addr().unwrap());
    relay.set(
        Way::Downstream,
        Faults {
            slicer: Some(Slicer {
                average_bytes: 10,
                variation_bytes: 0,
                delay_us: 20_000,
            }),
            ..Faults::default()
        },
    );
    let mut stream = client(relay.address);
    let (mut server_side, _) = listener.accept().unwrap();
    let message: Vec<u8> = (0..50).collect();
    server_side.write_all(&message).unwrap();
    drop(server_side);
    assert_eq!(
        read_to_end(&mut stream).unwrap(),
        message,
        "every byte, in order"
    );
    // The client still may send: only the server's side is closed.
    relay.wait_for(|event| {
        matches!(
            event,
            RelayEvent::HalfClosed {
                way: Way::Downstream,
                ..
            }
        )
    });
    let pieces = relay.moved(Way::Downstream);
    assert_eq!(pieces, vec![10; 5], "written in slices of 10");
}

#[test]
fn a_hang_switched_on_and_off_while_bytes_flow() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut relay = Relay::to(listener.local_addr().unwrap());
    let mut stream = client(relay.address);
    let (mut server_side, _) = listener.accept().unwrap();
    stream.write_all(b"before").unwrap();
    let mut got = [0u8; 6];
    server_side.set_read_timeout(Some(LIMIT)).unwrap();
    server_side.read_exact(&mut got).unwrap();
    relay.set(
        Way::Upstream,
        Faults {
            hang: true,
            ..Faults::default()
        },
    );
    stream.write_all(b"held").unwrap();
    server_side
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut held = [0u8; 4];
    let silent = server_side.read(&mut held);
    assert!(
        matches!(&silent, Err(error) if error.kind() == ErrorKind::WouldBlock),
        "nothing while it hangs: {silent:?}"
    );
    relay.set(Way::Upstream, Faults::default());
    server_side.set_read_timeout(Some(LIMIT)).unwrap();
    server_side.read_exact(&mut held).unwrap();
    assert_eq!(&held, b"held");
}

#[test]
fn a_reset_fault_resets_the_client_and_the_server() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut relay = Relay::to(listener.local_addr().unwrap());
    let mut stream = client(relay.address);
    let (mut server_side, _) = listener.accept().unwrap();
    server_side.set_read_timeout(Some(LIMIT)).unwrap();
    relay.set(
        Way::Downstream,
        Faults {
            reset: Some(Default::default()),
            ..Faults::default()
        },
    );
    let error = read_to_end(&mut stream).expect_err("reset");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    let error = read_to_end(&mut server_side).expect_err("reset");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    relay.wait_for(|event| matches!(event, RelayEvent::Reset { by_fault: true, .. }));
}

#[test]
fn stop_reading_blocks_the_sender_instead_of_filling_the_relay() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut relay = Relay::to(listener.local_addr().unwrap());
    relay.set(
        Way::Upstream,
        Faults {
            stop_reading: true,
            ..Faults::default()
        },
    );
    let stream = client(relay.address);
    let (_server_side, _) = listener.accept().unwrap();
    stream.set_nonblocking(true).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut sent = 0usize;
    let started = Instant::now();
    loop {
        match (&stream).write(&chunk) {
            Ok(count) => sent += count,
            Err(error) if error.kind() == ErrorKind::WouldBlock => break,
            Err(error) => panic!("{error}"),
        }
        assert!(
            started.elapsed() < LIMIT && sent < 256 * 1024 * 1024,
            "never blocked"
        );
    }
    // What the kernel's buffers hold: a few MB at most on loopback, nothing in the relay.
    assert!(sent < 32 * 1024 * 1024, "{sent} bytes taken");
    assert!(relay.moved(Way::Upstream).is_empty());
}
