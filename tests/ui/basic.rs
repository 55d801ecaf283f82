//! The real window on real loopback sockets: create, bind, listen, connect, accept, send, recv,
//! all by clicking, and what each call did is shown.

use egui_kittest::kittest::Queryable;
use socket_workbench::engine::{CallKind, Lifecycle};
use std::time::Duration;

use crate::window;
use crate::window::{
    click, new_tcp_socket, select, set_text, shows, shows_containing, state_of, wait_until,
};

/// A laptop-sized window.
fn new_harness() -> window::App {
    window::new_harness(1280.0, 900.0)
}

#[test]
fn tcp_hello_by_clicking_shows_listening_and_the_received_text() {
    let mut harness = new_harness();

    // Server: socket, bind, listen.
    let server = new_tcp_socket(&mut harness);
    set_text(&mut harness, "bind address", "127.0.0.1:0");
    click(&mut harness, "bind()");
    wait_until(&mut harness, "bind to return", |h| {
        state_of(h, server) == Some(Lifecycle::Bound) && shows(h, "bound")
    });
    set_text(&mut harness, "backlog", "5");
    click(&mut harness, "listen()");
    wait_until(&mut harness, "the state 'listening' to be shown", |h| {
        shows(h, "listening")
    });
    let server_addr = harness
        .state()
        .session()
        .socket(server)
        .and_then(|view| view.local.clone())
        .expect("the listener has a local address")
        .to_string();
    assert!(
        shows_containing(&harness, &server_addr),
        "the listener's address {server_addr} is shown"
    );

    // Client: socket, connect to the listener's address.
    let client = new_tcp_socket(&mut harness);
    assert_ne!(client, server);
    // The listener's address is offered as a one-click fill of the connect address.
    click(&mut harness, &format!("tcp4 #{} {server_addr}", server.0));
    let typed = harness.get_by_label("connect address").value();
    let port = harness
        .state()
        .session()
        .socket(server)
        .and_then(|view| view.local.as_ref()?.port())
        .expect("the listener's port");
    assert_eq!(typed, Some(format!("127.0.0.1:{port}")));
    click(&mut harness, "connect()");
    wait_until(&mut harness, "connect to complete", |h| {
        state_of(h, client) == Some(Lifecycle::Connected)
            && h.state()
                .session()
                .socket(client)
                .is_some_and(|view| view.last_result(CallKind::Connect).is_some())
    });

    // Server: accept gives a child socket under the listener.
    select(&mut harness, &format!("tcp4 #{}", server.0));
    assert_eq!(harness.state().selected(), Some(server));
    click(&mut harness, "accept()");
    wait_until(&mut harness, "accept to return a connection", |h| {
        h.state()
            .session()
            .socket(server)
            .is_some_and(|view| !view.children.is_empty())
    });
    let child = harness
        .state()
        .session()
        .socket(server)
        .and_then(|view| view.children.first().copied())
        .expect("an accepted connection");
    let child_name = format!("tcp4 #{}", child.0);
    wait_until(&mut harness, "the accepted connection's card", |h| {
        shows(h, &child_name)
    });

    // Client sends "hello".
    select(&mut harness, &format!("tcp4 #{}", client.0));
    set_text(&mut harness, "send text", "hello");
    click(&mut harness, "send()");
    wait_until(&mut harness, "send to return", |h| {
        h.state()
            .session()
            .socket(client)
            .is_some_and(|view| view.counters.bytes_out == 5)
    });

    // The accepted connection receives it; the chunk is shown as text.
    select(&mut harness, &child_name);
    assert_eq!(harness.state().selected(), Some(child));
    click(&mut harness, "recv()");
    wait_until(
        &mut harness,
        "the received chunk 'hello' to be shown",
        |h| shows(h, "hello"),
    );
    let view = harness.state().session().socket(child).expect("child");
    assert_eq!(view.counters.bytes_in, 5);
    assert!(view.pending.is_empty());
}

#[test]
fn invalid_bind_address_shows_an_error_next_to_the_field_and_is_not_sent() {
    let mut harness = new_harness();
    let socket = new_tcp_socket(&mut harness);
    set_text(&mut harness, "bind address", "127.0.0.1:99999");
    wait_until(&mut harness, "the address error", |h| {
        shows_containing(h, "port 99999 is out of range")
    });

    let field = harness.get_by_label("bind address").rect();
    let error = harness
        .get_by_label_contains("port 99999 is out of range")
        .rect();
    assert!(
        error.min.x >= field.max.x - 1.0 && error.min.y < field.max.y && error.max.y > field.min.y,
        "the error {error:?} is on the field's row, to its right {field:?}"
    );

    click(&mut harness, "bind()");
    std::thread::sleep(Duration::from_millis(200));
    harness.run_ok();
    let session = harness.state().session();
    assert_eq!(session.log_len(), 0, "nothing was sent to the socket");
    assert_eq!(
        session.socket(socket).map(|view| view.state),
        Some(Lifecycle::Created)
    );
}
