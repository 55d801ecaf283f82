//! Saved messages in the window: one click in a socket's inspector sends one, Ctrl+N sends
//! the Nth to the selected socket, placeholders and checksums filled in at send time;
//! Packet Sender's packets imported, and the list exported and read back.

use socket_workbench::engine::{Automation, SocketId};
use socket_workbench::i18n::Lang;
use socket_workbench::messages::{BodyFormat, SavedMessage};
use socket_workbench::t;
use socket_workbench::ui::{Intent, ViewKind, WorkbenchApp};

use crate::window::{
    App, click, click_in, open_socket_named, received_bytes, set_text, shows_containing, wait_until,
};

fn harness() -> App {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En))
}

/// A TCP pair whose accepted connection receives by itself.
fn pair() -> (App, SocketId, SocketId) {
    let mut harness = harness();
    harness.run_ok();
    click(&mut harness, &t!(Lang::En, "quick-tcp-pair"));
    wait_until(&mut harness, "the quick start", |h| {
        h.state().scenario().is_some_and(|run| run.finished)
    });
    let conn = open_socket_named(harness.state().session(), "conn");
    let client = open_socket_named(harness.state().session(), "client");
    harness.state_mut().apply_intent(Intent::Automate {
        socket: conn,
        automation: Automation {
            auto_receive: true,
            ..Automation::default()
        },
    });
    (harness, conn, client)
}

#[test]
fn a_saved_message_is_one_click_or_one_key_away() {
    let (mut harness, conn, client) = pair();
    harness.state_mut().add_saved_message(SavedMessage {
        name: "hello".into(),
        body: "hi ${counter}\\n".into(),
        ..SavedMessage::default()
    });
    harness.state_mut().add_saved_message(SavedMessage {
        name: "read registers".into(),
        body: "01 03 00 00 00 0A ${crc16_modbus}".into(),
        format: BodyFormat::Hex,
        ..SavedMessage::default()
    });
    harness.state_mut().apply_intent(Intent::Select(client));
    harness.run_ok();
    // The client's inspector is the second column; its strip has a button per message.
    click_in(&mut harness, "hello", 1);
    wait_until(&mut harness, "conn receives the first", |h| {
        received_bytes(h.state().session(), conn) == b"hi 0\n"
    });
    click_in(&mut harness, "hello", 1);
    wait_until(&mut harness, "the counter advanced", |h| {
        received_bytes(h.state().session(), conn) == b"hi 0\nhi 1\n"
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    wait_until(&mut harness, "Ctrl+2 sends the second", |h| {
        received_bytes(h.state().session(), conn).ends_with(&[1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD])
    });
}

#[test]
fn packet_senders_packets_are_imported_and_the_list_exports_and_reads_back() {
    let (mut harness, _conn, client) = pair();
    harness.state_mut().apply_intent(Intent::Select(client));
    harness.state_mut().toggle_view(ViewKind::Messages);
    harness.run_ok();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/packet_sender/packets.ini"
    );
    set_text(&mut harness, &t!(Lang::En, "messages-file"), fixture);
    click(&mut harness, &t!(Lang::En, "messages-import"));
    harness.run_ok();
    let imported = harness.state().saved_messages().len();
    assert!(imported >= 5, "{imported} messages imported");
    assert!(
        shows_containing(&harness, "imported"),
        "the import says what it did"
    );
    // What was skipped is named (the fixture has an SSL packet and one with bad hex).
    assert!(shows_containing(&harness, "skipped"));

    let folder = tempfile::tempdir().expect("temporary folder");
    let exported = folder.path().join("messages.toml");
    set_text(
        &mut harness,
        &t!(Lang::En, "messages-file"),
        &exported.display().to_string(),
    );
    click(&mut harness, &t!(Lang::En, "messages-export"));
    harness.run_ok();
    assert!(exported.exists());
    let before: Vec<SavedMessage> = harness.state().saved_messages().to_vec();
    click(&mut harness, &t!(Lang::En, "messages-import"));
    harness.run_ok();
    let after = harness.state().saved_messages();
    assert_eq!(after.len(), 2 * before.len());
    assert_eq!(&after[before.len()..], &before[..]);
}

/// Two reply rules made in the Saved messages view; the accepted connection answers by them
/// once its responder is set to reply rules in its inspector; the timeline says which rule
/// answered.
#[test]
fn reply_rules_made_in_the_window_answer_and_the_timeline_names_the_rule() {
    let (mut harness, conn, client) = pair();
    harness.state_mut().apply_intent(Intent::Automate {
        socket: client,
        automation: Automation {
            auto_receive: true,
            ..Automation::default()
        },
    });
    for (name, body) in [("pong", "PONG ${counter}\\n"), ("ping", "PING")] {
        harness.state_mut().add_saved_message(SavedMessage {
            name: name.into(),
            body: body.into(),
            ..SavedMessage::default()
        });
    }
    harness.state_mut().toggle_view(ViewKind::Messages);
    harness.run_ok();
    click(&mut harness, &t!(Lang::En, "rules-new"));
    set_text(&mut harness, &t!(Lang::En, "rules-pattern"), "PING");
    // The new rule replies with the first message ("pong") and compares exactly.
    harness.state_mut().apply_intent(Intent::Select(conn));
    harness.run_ok();
    click_in(&mut harness, &t!(Lang::En, "inspector-automatic"), 0);
    click_in(&mut harness, &t!(Lang::En, "settings-responder"), 0);
    click(&mut harness, &t!(Lang::En, "rules-responder"));
    wait_until(&mut harness, "conn answers by rules", |h| {
        h.state()
            .session()
            .socket(conn)
            .and_then(|view| view.automation.responder.as_ref())
            .is_some_and(|responder| responder.script_name() == "rules")
    });
    // The client sends "ping" twice (its strip is in the second column).
    click_in(&mut harness, "ping", 1);
    wait_until(&mut harness, "the first answer", |h| {
        received_bytes(h.state().session(), client) == b"PONG 1\n"
    });
    click_in(&mut harness, "ping", 1);
    wait_until(&mut harness, "the second answer", |h| {
        received_bytes(h.state().session(), client) == b"PONG 1\nPONG 2\n"
    });
    harness.state_mut().toggle_view(ViewKind::Timeline);
    for _ in 0..3 {
        harness.run_ok();
    }
    assert!(
        shows_containing(&harness, "[rule 1]"),
        "the reply's bar names its rule"
    );
}
