//! Workspaces through the real window: saved from the Workspace menu, opened in a new window
//! (the same sockets, set up as before and working), a file from someone else shown before
//! it runs, a malformed file refused where it is wrong, and a partial restore said per
//! socket.

use socket_workbench::engine::{Automation, Lifecycle, Responder};
use socket_workbench::i18n::Lang;
use socket_workbench::messages::{BodyFormat, SavedMessage};
use socket_workbench::session::Session;
use socket_workbench::t;
use socket_workbench::ui::{Intent, ViewKind, WorkbenchApp};
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use crate::window::{App, click, set_text, set_text_in, shows, shows_containing, wait_until};

fn harness() -> App {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En))
}

fn named(session: &Session, name: &str) -> Option<socket_workbench::engine::SocketId> {
    session
        .sockets()
        .find(|view| view.name == name && !view.closed)
        .map(|view| view.id)
}

/// Workspace → the item → the file field → the dialog's button.
fn through_the_menu(harness: &mut App, item: &str, path: &Path, button: &str) {
    click(harness, &t!(Lang::En, "workspace-menu"));
    click(harness, item);
    set_text(
        harness,
        &t!(Lang::En, "workspace-file"),
        &path.display().to_string(),
    );
    click(harness, button);
    harness.run_ok();
}

/// What the workspace's socket `name` answers a client that is not the workbench: `request`
/// sent to its port on 127.0.0.1, `reply_len` bytes read back.
fn ask(harness: &App, name: &str, request: &[u8], reply_len: usize) -> Vec<u8> {
    let session = harness.state().session();
    let port = named(session, name)
        .and_then(|id| session.socket(id))
        .and_then(|view| view.local.as_ref())
        .and_then(|local| local.port())
        .expect("a port");
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(request).expect("send");
    let mut reply = vec![0u8; reply_len];
    stream.read_exact(&mut reply).expect("the server answers");
    reply
}

/// Writes `text` to `name` in a new temporary folder (kept while the folder lives).
fn file_with(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let file = folder.path().join(name);
    std::fs::write(&file, text).expect("write");
    (folder, file)
}

/// Opens `file` through the Workspace menu's dialog.
fn open_through_the_menu(harness: &mut App, file: &Path) {
    through_the_menu(
        harness,
        &t!(Lang::En, "workspace-open"),
        file,
        &t!(Lang::En, "workspace-open-button"),
    );
}

#[test]
fn a_saved_workspace_comes_back_in_a_new_window_and_works() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let file = folder.path().join("bench.toml");

    // The first window: a server and a client, the server echoing, a composer typed into
    // and a saved message.
    let mut first = harness();
    first.run_ok();
    click(&mut first, &t!(Lang::En, "quick-tcp-pair"));
    wait_until(&mut first, "the quick start", |h| {
        h.state().scenario().is_some_and(|run| run.finished)
    });
    let server = named(first.state().session(), "server").expect("server");
    first.state_mut().apply_intent(Intent::Automate {
        socket: server,
        automation: Automation {
            auto_accept: true,
            auto_receive: true,
            responder: Some(Responder::UppercaseEcho),
            ..Automation::default()
        },
    });
    set_text_in(
        &mut first,
        &t!(Lang::En, "composer-send-text"),
        1,
        "typed before saving",
    );
    first.state_mut().toggle_view(ViewKind::Messages);
    first.state_mut().add_saved_message(SavedMessage {
        name: "read registers".into(),
        body: "01 03 00 00 00 0A ${crc16_modbus}".into(),
        format: BodyFormat::Hex,
        ..SavedMessage::default()
    });
    first.run_ok();
    through_the_menu(
        &mut first,
        &t!(Lang::En, "workspace-save-as"),
        &file,
        &t!(Lang::En, "workspace-save-button"),
    );
    let saved = std::fs::read_to_string(&file).expect("the file was written");
    assert!(shows_containing(&first, "Saved to"), "{saved}");
    assert!(
        saved.contains("server.auto(accept, receive, respond='upper')"),
        "{saved}"
    );
    drop(first);

    // A new window opens it: no question (this window's kind wrote it, nothing beyond
    // loopback), the sockets rebuilt and the rest put back.
    let mut second = harness();
    second.run_ok();
    open_through_the_menu(&mut second, &file);
    wait_until(&mut second, "the workspace rebuilt", |h| {
        let session = h.state().session();
        let state = |name| {
            named(session, name)
                .and_then(|id| session.socket(id))
                .map(|v| v.state)
        };
        state("server") == Some(Lifecycle::Listening)
            && state("client") == Some(Lifecycle::Connected)
            && h.state().scenario().is_none()
    });
    let now = second.state().workspace_now();
    assert_eq!(
        now.composers["client"].get("text").and_then(|v| v.as_str()),
        Some("typed before saving")
    );
    assert_eq!(second.state().saved_messages().len(), 1);
    assert!(
        second.state().view_open(ViewKind::Messages),
        "the views open come back"
    );
    assert!(!second.state().view_open(ViewKind::Wire));
    assert!(
        now.view
            .get("received")
            .and_then(|received| received.get("client"))
            .is_some(),
        "how the client's received data is shown comes back"
    );
    assert_eq!(second.state().saved_messages()[0].name, "read registers");

    // And it works against a client that is not the workbench.
    assert_eq!(ask(&second, "server", b"abc", 3), b"ABC");
}

#[test]
fn a_file_from_someone_else_is_shown_before_it_runs() {
    let (_folder, file) = file_with(
        "from-a-friend.toml",
        "[[step]]\ndo = [\n  \"s = socket()\",\n  \"s.bind(('0.0.0.0', 0))\",\n  \"s.listen(5)\",\n]\n",
    );
    let mut harness = harness();
    harness.run_ok();
    open_through_the_menu(&mut harness, &file);
    for _ in 0..3 {
        harness.run_ok();
    }
    assert!(shows(&harness, &t!(Lang::En, "consent-title")));
    assert!(shows_containing(
        &harness,
        "line 4: binds 0.0.0.0: reachable from the network"
    ));
    // Nothing has run.
    assert_eq!(harness.state().session().sockets().count(), 0);
    click(&mut harness, &t!(Lang::En, "consent-run"));
    wait_until(&mut harness, "it runs once agreed", |h| {
        let session = h.state().session();
        named(session, "s")
            .and_then(|id| session.socket(id))
            .is_some_and(|view| view.state == Lifecycle::Listening)
    });

    // Refused, nothing runs.
    let mut refused = self::harness();
    refused.run_ok();
    open_through_the_menu(&mut refused, &file);
    click(&mut refused, &t!(Lang::En, "consent-do-not-run"));
    for _ in 0..3 {
        refused.run_ok();
    }
    assert!(!shows(&refused, &t!(Lang::En, "consent-title")));
    assert_eq!(refused.state().session().sockets().count(), 0);
}

#[test]
fn a_malformed_workspace_is_refused_where_it_is_wrong() {
    let (_folder, file) = file_with(
        "broken.toml",
        "[[step]]\ndo = [\"s = socket()\"]\n\n[workspace]\nversion = 1\n\n[[workspace.message]]\nname = 5\n",
    );
    let mut harness = harness();
    harness.run_ok();
    open_through_the_menu(&mut harness, &file);
    let expected = format!(
        "{}:8:1: workspace.message[1].name cannot be read",
        file.display()
    );
    assert!(
        shows_containing(&harness, &expected),
        "the dialog says where"
    );
    assert_eq!(harness.state().session().sockets().count(), 0);
}

#[test]
fn a_partial_restore_says_what_failed_per_socket() {
    // The port the workspace wants is taken by another program.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port();
    let (_folder, file) = file_with(
        "bench.toml",
        &format!(
            "[[step]]\ndo = [\n  \"server = socket()\",\n  \"server.bind(('127.0.0.1', {port}))\",\n  \"server.listen(5)\",\n  \"u = socket(AF_INET, SOCK_DGRAM)\",\n  \"u.bind(('127.0.0.1', 0))\",\n]\n\n[workspace]\nversion = 1\n"
        ),
    );
    let mut harness = harness();
    harness.run_ok();
    open_through_the_menu(&mut harness, &file);
    wait_until(&mut harness, "the restore ends", |h| {
        h.state().scenario().is_none() && named(h.state().session(), "u").is_some()
    });
    harness.run_ok();
    assert!(shows(&harness, &t!(Lang::En, "workspace-restored-partly")));
    assert!(shows_containing(
        &harness,
        &format!("server: bind(('127.0.0.1', {port})) -> EADDRINUSE")
    ));
    // And why, as the inspector explains the errno.
    assert!(shows_containing(
        &harness,
        "EADDRINUSE — Another socket is already bound to that address and port"
    ));
    // The rest was rebuilt.
    let session = harness.state().session();
    let u = named(session, "u")
        .and_then(|id| session.socket(id))
        .expect("u");
    assert_eq!(u.state, Lifecycle::Bound);
}

/// Close the window, start again: the server, the client, five saved messages with
/// checksums and two reply rules are back and working (what the window keeps when it closes is
/// what its next start rebuilds).
#[test]
fn closing_and_starting_again_brings_everything_back() {
    let setup = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/examples/modbus_bench.toml"
    ))
    .expect("the example");
    let (_folder, file) = file_with("bench.toml", &setup);
    let mut first = harness();
    first.run_ok();
    first.state_mut().open_workspace(&file).expect("opens");
    wait_until(&mut first, "the bench rebuilt", |h| {
        h.state().scenario().is_none() && named(h.state().session(), "client").is_some()
    });
    assert_eq!(first.state().saved_messages().len(), 5);
    first.state_mut().toggle_view(ViewKind::Wire);
    first.run_ok();
    let kept = first
        .state_mut()
        .last_workspace_text()
        .expect("something to keep");
    // Only the tile layout (not the list of open views) can bring the Wire view back.
    assert!(kept.contains("\nopen = ["), "{kept}");
    let kept: String = kept
        .lines()
        .filter(|line| !line.starts_with("open = ["))
        .map(|line| format!("{line}\n"))
        .collect();
    drop(first);

    let mut second = harness();
    second.state_mut().set_last_workspace_text(Some(kept));
    second.state_mut().restore_last_workspace();
    wait_until(&mut second, "the bench rebuilt at start", |h| {
        let session = h.state().session();
        h.state().scenario().is_none()
            && named(session, "client")
                .and_then(|id| session.socket(id))
                .is_some_and(|view| view.state == Lifecycle::Connected)
    });
    let now = second.state().workspace_now();
    assert_eq!(now.messages.len(), 5);
    // Its own file: the tiles come back as they were arranged.
    assert!(second.state().view_open(ViewKind::Wire));
    assert_eq!(now.rules.len(), 2);
    // The server answers a Modbus read by its first rule, with the CRC filled in.
    assert_eq!(
        ask(&second, "server", &[1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD], 7),
        [1, 3, 2, 0, 0x2A, 0x39, 0x9B]
    );
}
