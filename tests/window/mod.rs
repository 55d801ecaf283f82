//! What the whole-window tests share: the real app in a harness, bounded waits, and clicks and
//! typing addressed to widgets by their labels.
#![allow(dead_code)] // each test file uses part of it

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use socket_workbench::engine::{Lifecycle, SocketId};
use socket_workbench::i18n::Lang;
use socket_workbench::ui::WorkbenchApp;
use std::time::{Duration, Instant};

/// The longest any one wait for a socket thread may take; a test can never hang.
pub const WAIT_LIMIT: Duration = Duration::from_secs(5);

pub type App = Harness<'static, WorkbenchApp>;

/// The real app in a window of this size (points).
pub fn new_harness(width: f32, height: f32) -> App {
    Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En))
}

/// Runs frames (the socket threads report in between) until `done` holds.
#[track_caller]
pub fn wait_until(harness: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + WAIT_LIMIT;
    loop {
        harness.run_ok();
        if done(harness) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {WAIT_LIMIT:?} waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn shows(harness: &App, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}

pub fn shows_containing(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Clicks the widget with this label; where there are several (one per inspector), the one
/// in the inspector at `column` (0 = leftmost). The click goes to the widget itself (an
/// AccessKit action, as a screen reader clicks), not to where it was drawn last frame: a
/// kernel snapshot arriving in between can move the inspector's lower part down.
#[track_caller]
pub fn click_in(harness: &mut App, label: &str, column: usize) {
    let mut nodes: Vec<_> = harness.get_all_by_label(label).collect();
    nodes.sort_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x));
    let node = nodes
        .get(column.min(nodes.len().saturating_sub(1)))
        .unwrap_or_else(|| panic!("no '{label}'"));
    node.click_accesskit();
    harness.run_ok();
}

/// Clicks the top-most widget with this label (the toolbar's, where the first screen has one
/// of the same name).
#[track_caller]
pub fn click_topmost(harness: &mut App, label: &str) {
    let mut nodes: Vec<_> = harness.get_all_by_label(label).collect();
    nodes.sort_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y));
    nodes
        .first()
        .unwrap_or_else(|| panic!("no '{label}'"))
        .click_accesskit();
    harness.run_ok();
}

#[track_caller]
pub fn click(harness: &mut App, label: &str) {
    click_in(harness, label, 0);
}

/// Selects a socket by clicking its name in the sockets panel.
#[track_caller]
pub fn select(harness: &mut App, name: &str) {
    let node = harness
        .get_all_by_label(name)
        .find(|node| node.accesskit_node().role() != Role::Label)
        .unwrap_or_else(|| panic!("no clickable socket named {name}"));
    node.click_accesskit();
    harness.run_ok();
}

/// Types into the field with this label in the inspector at `column` (0 = leftmost).
#[track_caller]
pub fn set_text_in(harness: &mut App, field: &str, column: usize, text: &str) {
    let mut nodes: Vec<_> = harness.get_all_by_label(field).collect();
    nodes.sort_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x));
    nodes
        .get(column)
        .unwrap_or_else(|| panic!("no field '{field}' in column {column}"))
        .set_text_value_accesskit(text);
    harness.run_ok();
}

#[track_caller]
pub fn set_text(harness: &mut App, field: &str, text: &str) {
    set_text_in(harness, field, 0, text);
}

/// Clicks "New TCP socket" and waits until the new socket is selected and its card shown.
#[track_caller]
pub fn new_tcp_socket(harness: &mut App) -> SocketId {
    let before = harness.state().session().sockets().count();
    click(harness, "New TCP socket");
    wait_until(harness, "the new socket to open", |h| {
        h.state().session().sockets().count() > before
    });
    let id = harness
        .state()
        .selected()
        .expect("the new socket is selected");
    let name = format!("tcp4 #{}", id.0);
    wait_until(harness, "the new socket's card", |h| shows(h, &name));
    id
}

pub fn state_of(harness: &App, id: SocketId) -> Option<Lifecycle> {
    harness.state().session().socket(id).map(|view| view.state)
}

pub fn name_of(harness: &App, id: SocketId) -> String {
    harness
        .state()
        .session()
        .socket(id)
        .map(|view| view.name.clone())
        .expect("socket")
}

/// A test's address written the short way: `127.0.0.1:5000`, `[::1]:80`, or a path.
pub fn at(text: &str) -> socket_workbench::engine::SocketAddress {
    match text.parse::<std::net::SocketAddr>() {
        Ok(inet) => inet.into(),
        Err(_) => socket_workbench::engine::SocketAddress::Path(text.to_string()),
    }
}

/// The open socket of that name (panics if there is none).
#[track_caller]
pub fn open_socket_named(session: &socket_workbench::session::Session, name: &str) -> SocketId {
    session
        .sockets()
        .find(|view| view.name == name && !view.closed)
        .map(|view| view.id)
        .unwrap_or_else(|| panic!("no socket {name}"))
}

/// Every byte the socket's retained chunks hold, in order.
pub fn received_bytes(session: &socket_workbench::session::Session, socket: SocketId) -> Vec<u8> {
    session
        .socket(socket)
        .map(|view| {
            view.chunks
                .iter()
                .flat_map(|chunk| chunk.data.clone())
                .collect()
        })
        .unwrap_or_default()
}
