//! What the engine tests share: a bench that issues calls on real sockets and waits (always
//! bounded) for their results.
#![allow(dead_code)] // each test file uses part of it

use socket_workbench::engine::KernelSnapshot;
use socket_workbench::engine::Returned;
use socket_workbench::engine::{
    AddrArg, Automation, Call, CallId, Engine, Event, EventReceiver, Family, Lifecycle, Origin,
    Outcome, Responder, SockType, SocketAddress, SocketId, Value,
};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(5);

pub struct Bench {
    pub engine: Engine,
    pub events: EventReceiver,
    pub seen: Vec<Event>,
}

impl Bench {
    pub fn new() -> Bench {
        let (engine, events) = Engine::new(|| {});
        Bench {
            engine,
            events,
            seen: Vec::new(),
        }
    }

    #[track_caller]
    pub fn socket(&mut self, family: Family, sock_type: SockType) -> SocketId {
        self.engine.create(family, sock_type).expect("socket()")
    }

    #[track_caller]
    pub fn start(&mut self, socket: SocketId, call: Call) -> CallId {
        self.engine
            .call(socket, call, Origin::Script)
            .expect("socket exists")
    }

    pub fn find_returned(&self, call_id: CallId) -> Option<Returned> {
        self.seen.iter().find_map(|event| match event {
            Event::Returned(returned) if returned.call_id == call_id => Some(returned.clone()),
            _ => None,
        })
    }

    /// Waits (bounded) for the call to return.
    pub fn wait(&mut self, call_id: CallId, limit: Duration) -> Option<Returned> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(returned) = self.find_returned(call_id) {
                return Some(returned);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            if let Some(event) = self.events.recv_timeout(left) {
                self.seen.push(event);
            }
        }
    }

    #[track_caller]
    pub fn call(&mut self, socket: SocketId, call: Call) -> Returned {
        let text = call.text();
        let call_id = self.start(socket, call);
        self.wait(call_id, WAIT)
            .unwrap_or_else(|| panic!("{text} did not return within {WAIT:?}"))
    }

    #[track_caller]
    pub fn ok(&mut self, socket: SocketId, call: Call) -> Value {
        let text = call.text();
        match self.call(socket, call).outcome {
            Outcome::Ok(value) => value,
            other => panic!("{text} failed: {other}"),
        }
    }

    /// send(data) on `socket`; returns how many bytes it took.
    #[track_caller]
    pub fn send(&mut self, socket: SocketId, data: &[u8]) -> Value {
        self.ok(
            socket,
            Call::Send {
                data: data.to_vec(),
            },
        )
    }

    /// recv(bufsize) on `socket`; the bytes it returned (empty at EOF), None if it failed.
    #[track_caller]
    pub fn recv(&mut self, socket: SocketId, bufsize: usize) -> Option<Vec<u8>> {
        self.call(
            socket,
            Call::Recv {
                bufsize,
                flags: Default::default(),
            },
        )
        .data
    }

    pub fn still_pending(&mut self, call_id: CallId, for_how_long: Duration) -> bool {
        self.wait(call_id, for_how_long).is_none()
    }

    pub fn pump(&mut self, how_long: Duration) {
        let deadline = Instant::now() + how_long;
        while let Some(event) = self
            .events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push(event);
        }
    }

    #[track_caller]
    pub fn local(&mut self, socket: SocketId) -> AddrArg {
        match self.ok(socket, Call::GetSockName) {
            Value::Address(address) => address.to_arg(),
            other => panic!("getsockname gave {other}"),
        }
    }

    /// Switches on a socket's automatic behaviour.
    #[track_caller]
    pub fn automate(&mut self, socket: SocketId, automation: Automation) {
        self.engine
            .set_automation(socket, automation)
            .expect("the socket exists");
    }

    /// An IPv4 listener that accepts every client and answers with `responder`.
    #[track_caller]
    pub fn automatic_server(&mut self, responder: Responder) -> (SocketId, AddrArg) {
        let (listener, address) = self.listener(Family::Ipv4, 16);
        self.automate(
            listener,
            Automation {
                auto_accept: true,
                auto_receive: true,
                responder: Some(responder),
                ..Automation::default()
            },
        );
        (listener, address)
    }

    #[track_caller]
    pub fn listener(&mut self, family: Family, backlog: i32) -> (SocketId, AddrArg) {
        let listener = self.socket(family, SockType::Stream);
        self.ok(listener, Call::Bind(loopback(family)));
        self.ok(listener, Call::Listen { backlog });
        let address = self.local(listener);
        (listener, address)
    }

    /// A connected pair: (client, accepted connection, listener).
    #[track_caller]
    pub fn pair(&mut self, family: Family) -> (SocketId, SocketId, SocketId) {
        let (listener, address) = self.listener(family, 5);
        let client = self.socket(family, SockType::Stream);
        self.ok(client, Call::Connect(address));
        let Value::Accepted { child, .. } = self.ok(listener, Call::Accept) else {
            panic!("accept returned no connection");
        };
        (client, child, listener)
    }

    /// Asks for a kernel snapshot and waits for it; the other events stay in `seen`.
    #[track_caller]
    pub fn snapshot(&mut self, socket: SocketId) -> KernelSnapshot {
        self.engine.snapshot(socket).expect("socket exists");
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self.seen.iter().rev().find_map(|event| match event {
                Event::Kernel {
                    socket: id,
                    snapshot,
                    ..
                } if *id == socket => Some(snapshot.clone()),
                _ => None,
            });
            if let Some(snapshot) = found {
                // Forget this socket's snapshots, so the next search finds the next one.
                self.seen.retain(
                    |event| !matches!(event, Event::Kernel { socket: id, .. } if *id == socket),
                );
                return snapshot;
            }
            assert!(Instant::now() < deadline, "no kernel snapshot");
            if let Some(event) = self.events.recv_timeout(Duration::from_millis(50)) {
                self.seen.push(event);
            }
        }
    }

    /// Waits (bounded) for the call to return, and fails the test if it does not.
    #[track_caller]
    pub fn wait_returned(&mut self, call_id: CallId) -> Returned {
        self.wait(call_id, WAIT)
            .unwrap_or_else(|| panic!("call {call_id:?} did not return within {WAIT:?}"))
    }

    /// The socket's address, as getsockname() returns it.
    #[track_caller]
    pub fn local_address(&mut self, socket: SocketId) -> SocketAddress {
        match self.ok(socket, Call::GetSockName) {
            Value::Address(address) => address,
            other => panic!("getsockname gave {other}"),
        }
    }

    pub fn state(&self, socket: SocketId) -> Option<Lifecycle> {
        self.seen.iter().rev().find_map(|event| match event {
            Event::State(change) if change.socket == socket => Some(change.state),
            _ => None,
        })
    }
}

pub fn loopback(family: Family) -> AddrArg {
    match family {
        Family::Ipv6 => AddrArg::inet("::1", 0),
        _ => AddrArg::inet("127.0.0.1", 0),
    }
}

/// An inet address argument as a std socket address.
#[track_caller]
pub fn socket_addr(address: &AddrArg) -> std::net::SocketAddr {
    let AddrArg::Inet { host, port } = address else {
        panic!("inet address expected")
    };
    format!("{host}:{port}").parse().expect("socket address")
}
