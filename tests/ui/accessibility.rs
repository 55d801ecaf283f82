//! The window as a screen reader sees it: every interactive node of the accessibility tree
//! (buttons, fields, check boxes, links, the timeline's bars, the stage's lanes) has a name,
//! on the first screen, with sockets, every view and the inspectors open, and with a lesson on
//! stage, in both languages.

use egui::accesskit::Role;
use egui_kittest::kittest::NodeT;
use socket_workbench::i18n::Lang;
use socket_workbench::ui::{Intent, QuickStart, ViewKind, WorkbenchApp};

use crate::window::{App, wait_until};

const INTERACTIVE: &[Role] = &[
    Role::Button,
    Role::CheckBox,
    Role::ComboBox,
    Role::Link,
    Role::MenuItem,
    Role::MenuItemCheckBox,
    Role::MenuItemRadio,
    Role::MultilineTextInput,
    Role::RadioButton,
    Role::Slider,
    Role::SpinButton,
    Role::Switch,
    Role::Tab,
    Role::TextInput,
    Role::SearchInput,
];

/// How many nodes of this role have a name (egui gives a label's text as its value, other
/// nodes' as their label) for which `has` holds: the painted parts of the timeline.
fn painted(harness: &App, role: Role, has: &dyn Fn(&str) -> bool) -> usize {
    harness
        .root()
        .children_recursive()
        .filter(|node| {
            let access = node.accesskit_node();
            let name = access.label().or_else(|| access.value());
            access.role() == role && name.is_some_and(|name| has(&name))
        })
        .count()
}

/// Every interactive node without a name, as `role at rect (inside: parent's name)`.
fn nameless(harness: &App) -> (usize, Vec<String>) {
    let mut interactive = 0;
    let mut problems = Vec::new();
    for node in harness.root().children_recursive() {
        let access = node.accesskit_node();
        if !INTERACTIVE.contains(&access.role()) || access.is_hidden() {
            continue;
        }
        interactive += 1;
        let named = access.label().is_some_and(|label| !label.trim().is_empty());
        if !named {
            let inside = node
                .parent()
                .and_then(|parent| parent.accesskit_node().label())
                .unwrap_or_default();
            problems.push(format!(
                "{:?} at {:?} (inside: {inside:?})",
                access.role(),
                access.bounding_box()
            ));
        }
    }
    (interactive, problems)
}

fn check(harness: &App, what: &str, failures: &mut Vec<String>) -> usize {
    let (interactive, problems) = nameless(harness);
    failures.extend(problems.into_iter().map(|p| format!("{what}: {p}")));
    interactive
}

fn walk_the_window(lang: Lang) {
    let mut failures = Vec::new();
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| WorkbenchApp::new(&cc.egui_ctx).with_language(lang));
    harness.run_ok();
    let first = check(&harness, "first screen", &mut failures);

    // Sockets, every view and both inspectors.
    harness
        .state_mut()
        .apply_intent(Intent::QuickStart(QuickStart::TcpPair));
    wait_until(&mut harness, "the quick start", |h| {
        h.state().session().stats().sockets_open == 3
            && h.state().scenario().is_some_and(|run| run.finished)
    });
    for kind in ViewKind::ALL {
        if !harness.state().view_open(kind) {
            harness.state_mut().toggle_view(kind);
        }
    }
    for _ in 0..4 {
        harness.run_ok();
    }
    let working = check(&harness, "sockets and views", &mut failures);

    // A lesson on stage, at its key step.
    let lesson = harness
        .state()
        .lessons()
        .iter()
        .find(|lesson| lesson.file_name.starts_with("10_"))
        .cloned()
        .expect("L10");
    let key = lesson.script.as_ref().map_or(0, |script| script.key_step());
    harness.state_mut().open_lesson(&lesson);
    harness.state_mut().set_present(true);
    harness.state_mut().run_steps(key + 1);
    wait_until(&mut harness, "the key step", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current == Some(key) && !run.running)
    });
    for _ in 0..4 {
        harness.run_ok();
    }
    let staged = check(&harness, "a lesson on stage", &mut failures);
    // The painted parts of the stage's timeline are nodes with names too: the call bars
    // (buttons: a click shows the call's details).
    let bars = painted(&harness, Role::Button, &|label| {
        (label.starts_with("send(") || label.starts_with("recv(")) && label.contains(" -> ")
    });
    if bars < 4 {
        failures.push(format!("a lesson on stage: {bars} named call bars, not 4"));
    }
    // ... and the wire's segment arrows (L10 switches the wire on; without CAP_NET_RAW it
    // captures in a private network of its own, so the segments are there either way).
    let segment_word = match lang {
        Lang::En => "segment ",
        Lang::Zh => "报文段 ",
    };
    let has_arrows =
        |h: &App| painted(h, Role::Label, &|label| label.starts_with(segment_word)) >= 3;
    // The capture reports segments a moment after the calls that sent them.
    if !has_arrows(&harness) {
        wait_until(&mut harness, "the step's segments", has_arrows);
    }
    let arrows = painted(&harness, Role::Label, &|label| {
        label.starts_with(segment_word)
    });
    if arrows < 3 {
        failures.push(format!(
            "a lesson on stage: {arrows} named segment arrows, not at least 3"
        ));
    }

    for failure in &failures {
        eprintln!("{failure}");
    }
    assert!(
        first >= 10 && working >= 40 && staged >= 5,
        "the walk found too few interactive nodes to mean anything: {first}, {working}, {staged}"
    );
    assert!(
        failures.is_empty(),
        "{} interactive nodes have no name (in {lang})",
        failures.len()
    );
}

#[test]
fn every_interactive_node_has_a_name_in_english() {
    walk_the_window(Lang::En);
}

#[test]
fn every_interactive_node_has_a_name_in_chinese() {
    walk_the_window(Lang::Zh);
}
