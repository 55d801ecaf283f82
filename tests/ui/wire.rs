//! The wire in the window: a script that switches it on draws its segments as arrows on the
//! timeline (found by their accessible labels), the Segments switch hides them, the Wire view
//! lists them and writes a pcap; without CAP_NET_RAW the view says how to grant it.

use crate::window::{self, App, click, shows, shows_containing, wait_until};
use egui_kittest::kittest::Queryable;
use socket_workbench::core::Core;
use socket_workbench::engine::{Engine, Event, EventReceiver, WireProblem, WireReport};
use socket_workbench::script;
use socket_workbench::session::Limits;
use socket_workbench::ui::{ViewKind, WorkbenchApp};

const SCRIPT: &str = include_str!("../../assets/examples/wire.toml");

fn may_capture() -> bool {
    let (engine, events) = Engine::new(|| {});
    engine.set_wire(true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        match events.recv_timeout(std::time::Duration::from_millis(50)) {
            Some(Event::Wire(WireReport::Started { .. })) => return true,
            Some(Event::Wire(WireReport::Unavailable { .. })) => return false,
            _ => {}
        }
    }
    panic!("the wire never said whether it runs")
}

fn run_wire_script(harness: &mut App) {
    let script = script::parse(SCRIPT).expect("the example parses");
    harness.state_mut().open_script(script);
    harness.state_mut().run_all_steps();
    wait_until(harness, "the script to finish", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.finished && !run.running)
    });
}

#[test]
fn segments_are_drawn_between_the_lanes_and_listed_in_the_wire_view() {
    if !may_capture() {
        println!(
            "SKIPPED segments_are_drawn_between_the_lanes_and_listed_in_the_wire_view: \
             capture needs CAP_NET_RAW (run the tests as root, as CI does)"
        );
        return;
    }
    let mut harness = window::new_harness(1600.0, 1000.0);
    harness.state_mut().toggle_view(ViewKind::Timeline);
    run_wire_script(&mut harness);
    click(&mut harness, "fit");
    wait_until(&mut harness, "the handshake's arrows", |h| {
        shows(h, "segment SYN from client to server")
            && shows(h, "segment SYN, ACK from server to client")
            && shows(h, "segment ACK from client to server")
    });
    let drawn = harness.state().session().wire().segments().count();
    assert!(drawn >= 8, "{drawn} segments kept");
    // To scale, the close's segments fall within a millisecond of its calls; on the stage each
    // has a row of its own. After accept(), the connection's own lane: the data, both FINs.
    harness.state_mut().set_present(true);
    wait_until(&mut harness, "the close's arrows on stage", |h| {
        shows(h, "segment PSH, ACK 5 B from client to conn")
            && shows(h, "segment FIN, ACK from client to conn")
            && shows(h, "segment FIN, ACK from conn to client")
    });
    harness.state_mut().set_present(false);
    harness.run_ok();

    // The Segments switch hides them (the calls stay).
    click(&mut harness, "Segments");
    harness.run_ok();
    assert!(!shows(&harness, "segment SYN from client to server"));
    assert!(shows_containing(&harness, "connect("));
    click(&mut harness, "Segments");
    harness.run_ok();
    assert!(shows(&harness, "segment SYN from client to server"));

    // The Wire view: the table and the pcap.
    harness.state_mut().toggle_view(ViewKind::Wire);
    harness.run_ok();
    assert!(shows(
        &harness,
        "Capturing the segments of these sockets on loopback"
    ));
    assert!(shows(&harness, "client → server"));
    assert!(shows(&harness, "SYN, ACK"));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ui.pcap");
    window::set_text(&mut harness, "pcap path", &path.display().to_string());
    click(&mut harness, "Export pcap");
    harness.run_ok();
    assert!(
        shows_containing(&harness, "segments to"),
        "the export says what it wrote"
    );
    let bytes = std::fs::read(&path).expect("the pcap was written");
    assert_eq!(&bytes[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    assert!(bytes.len() > 24 + 8 * 16, "{} bytes", bytes.len());

    // Stop: the state says so and what was captured stays.
    click(&mut harness, "Stop capture");
    wait_until(&mut harness, "capture to stop", |h| {
        shows(h, "The wire is off.")
    });
    assert!(shows(&harness, "client → server"));
}

/// A window with the Wire view whose engine events come through a channel, told what the
/// engine says without CAP_NET_RAW (this test process may have it, as root). With
/// `forward_engine_events` the real engine's own events follow too. The sender keeps the
/// channel open.
fn window_told_capture_needs_permission(
    forward_engine_events: bool,
) -> (App, crossbeam_channel::Sender<Event>) {
    let (engine, events) = Engine::new(|| {});
    let (sender, receiver) = crossbeam_channel::unbounded();
    if forward_engine_events {
        let forward = sender.clone();
        std::thread::spawn(move || {
            loop {
                if let Some(event) = events.recv_timeout(std::time::Duration::from_millis(20))
                    && forward.send(event).is_err()
                {
                    return;
                }
            }
        });
    }
    let core = Core::with_engine(
        engine,
        EventReceiver::forwarded(receiver),
        Limits::default(),
    );
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(|cc| WorkbenchApp::with_core(&cc.egui_ctx, core));
    harness.state_mut().toggle_view(ViewKind::Wire);
    harness.run_ok();
    assert!(shows(&harness, "The wire is off."));
    sender
        .send(Event::Wire(WireReport::Unavailable {
            at_us: 1,
            problem: WireProblem::NoPermission,
        }))
        .expect("send");
    (harness, sender)
}

/// The message a person without CAP_NET_RAW sees (the engine's own report, given to a window
/// whose engine events are forwarded): what is missing, the command, a button to copy it.
#[test]
fn without_permission_the_wire_view_shows_the_command_that_grants_it() {
    let (mut harness, _sender) = window_told_capture_needs_permission(false);
    wait_until(&mut harness, "the message", |h| {
        shows_containing(h, "Capturing the wire needs CAP_NET_RAW")
    });
    assert!(shows_containing(&harness, "or run the workbench as root"));
    assert!(shows(&harness, "Copy command"));
    assert!(shows(&harness, "Capture the wire"), "it can be tried again");
    let command = socket_workbench::engine::wire::grant_command();
    assert!(
        command.starts_with("sudo setcap cap_net_raw=eip "),
        "{command}"
    );
    let shown = harness.get_by_label("grant with").value();
    assert_eq!(
        shown.as_deref(),
        Some(command.as_str()),
        "the command, selectable"
    );
}

/// A lesson's private network in the window (what a person without CAP_NET_RAW gets): the
/// Wire view says where it captures, the script's segments are drawn, and closing the script
/// puts new sockets back in the machine's network.
#[test]
fn a_private_network_is_said_in_the_wire_view_and_ends_with_the_script() {
    let mut harness = window::new_harness(1600.0, 1000.0);
    harness.state_mut().toggle_view(ViewKind::Timeline);
    harness.state_mut().toggle_view(ViewKind::Wire);
    let script = script::parse(SCRIPT).expect("the example parses");
    harness.state_mut().open_script(script);
    // This test runs with CAP_NET_RAW (as root) or without it; either way the network is
    // made private here, as the script does where capture needs the capability.
    if let Err(why) = harness
        .state_mut()
        .core_mut()
        .use_private_network_for_script()
    {
        println!(
            "SKIPPED a_private_network_is_said_in_the_wire_view_and_ends_with_the_script: {why}"
        );
        return;
    }
    harness.state_mut().run_all_steps();
    wait_until(&mut harness, "the script to finish", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.finished && !run.running)
    });
    assert!(shows_containing(
        &harness,
        "in a private network namespace, where capture needs no privilege"
    ));
    assert!(harness.state().core().in_private_network());
    assert!(shows(&harness, "client → server"), "the segment table");
    click(&mut harness, "Close script");
    harness.run_ok();
    assert!(!harness.state().core().in_private_network());
}

/// A person without CAP_NET_RAW, in the window: the Wire view offers a private network (before
/// the first socket), captures there once asked, and goes back to the machine's network.
/// The refusal is the engine's own report, given to a window whose engine events are
/// forwarded (this test may run as root, where capture would simply work).
#[test]
fn without_permission_the_wire_view_offers_a_private_network() {
    let (mut harness, _sender) = window_told_capture_needs_permission(true);
    wait_until(&mut harness, "the offer", |h| {
        shows(h, "Use a private network")
    });
    click(&mut harness, "Use a private network");
    wait_until(&mut harness, "the private capture, or why not", |h| {
        shows_containing(h, "Capturing the segments")
            || shows_containing(h, "does not let a program make a private network")
    });
    if shows_containing(&harness, "does not let a program make a private network") {
        println!(
            "SKIPPED the rest of without_permission_the_wire_view_offers_a_private_network: \
             this system refuses unprivileged user namespaces (the refusal is shown)"
        );
        return;
    }
    assert!(shows_containing(
        &harness,
        "in a private network namespace, where capture needs no privilege"
    ));
    assert!(harness.state().core().in_private_network());
    // A script opened now (the quick starts are scripts) keeps the network the person chose.
    let quick =
        script::parse("[[step]]\ndo = [\"s = socket(AF_INET, SOCK_STREAM)\"]\n").expect("parses");
    harness.state_mut().open_script(quick);
    harness.run_ok();
    assert!(harness.state().core().in_private_network());
    click(&mut harness, "Back to the machine's network");
    wait_until(&mut harness, "capture to stop", |h| {
        shows(h, "The wire is off.")
    });
    assert!(!harness.state().core().in_private_network());
}
