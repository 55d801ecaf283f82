//! No two visible widgets drawn over each other: the window's widgets, as egui placed them in
//! the last frame (each one's rectangle clipped to what is on screen), checked pair by pair on
//! each layer (a tooltip or a popup is on a layer of its own and may cover others).

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT;
use socket_workbench::i18n::Lang;
use socket_workbench::ui::{TimelineView, WorkbenchApp, narration_text_size};
use std::collections::HashMap;

/// The kinds of widget a person reads or clicks; containers and panels hold them and may.
fn is_leaf(role: Role) -> bool {
    matches!(
        role,
        Role::Label
            | Role::Button
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::CheckBox
            | Role::RadioButton
            | Role::ComboBox
            | Role::Link
            | Role::SpinButton
            | Role::Slider
            | Role::ProgressIndicator
    )
}

/// Pairs of visible widgets on one layer whose visible rectangles overlap by more than a
/// sliver (2 points each way), described as `role "label" at rect`. Roles and labels come from
/// the accessibility tree (a widget's node id is its egui id).
pub fn overlapping_widgets<S>(harness: &Harness<'_, S>) -> Vec<(String, String)> {
    let mut nodes: HashMap<u64, (Role, String)> = HashMap::new();
    for node in harness.root().children_recursive() {
        let node = node.accesskit_node();
        // The node id of egui's tree is the widget's id (the high 64 bits of the full id).
        let id = (u128::from(node.id()) >> 64) as u64;
        let text = node.label().or_else(|| node.value()).unwrap_or_default();
        nodes.insert(id, (node.role(), text));
    }
    let screen = harness.ctx.content_rect();
    harness.ctx.viewport(|viewport| {
        let widgets = &viewport.this_pass.widgets;
        let mut found = Vec::new();
        for (_layer, rects) in widgets.layers() {
            let shown: Vec<(egui::Rect, String)> = rects
                .iter()
                .filter(|widget| widget.visible)
                .filter_map(|widget| {
                    let (role, label) = nodes.get(&widget.id.value())?;
                    let rect = widget.interact_rect.intersect(screen);
                    (is_leaf(*role) && rect.is_positive())
                        .then(|| (rect, format!("{role:?} {label:?} at {rect:?}")))
                })
                .collect();
            for (index, (a, what_a)) in shown.iter().enumerate() {
                for (b, what_b) in &shown[index + 1..] {
                    // A tab's close button sits inside its tab (egui_tiles draws it there).
                    let tab_close = |outer: &egui::Rect, inner: &egui::Rect, what: &str| {
                        outer.contains_rect(*inner) && what.starts_with("Button \"Close\"")
                    };
                    if tab_close(a, b, what_b) || tab_close(b, a, what_a) {
                        continue;
                    }
                    let both = a.intersect(*b);
                    if both.width() > 2.0 && both.height() > 2.0 {
                        found.push((what_a.clone(), what_b.clone()));
                    }
                }
            }
        }
        found
    })
}

/// The real app at `width` x `height` physical pixels and `zoom`.
fn app_at(width: f32, height: f32, zoom: f32) -> Harness<'static, WorkbenchApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width / zoom, height / zoom))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En));
    harness.ctx.set_zoom_factor(zoom);
    harness.run_ok();
    harness.run_ok();
    harness
}

#[test]
fn the_first_screen_overlaps_nothing_at_projector_sizes_and_zooms() {
    for (width, height) in [(1280.0, 720.0), (1366.0, 768.0), (1920.0, 1080.0)] {
        for zoom in [1.0, 1.5, 2.0] {
            let harness = app_at(width, height, zoom);
            let overlaps = overlapping_widgets(&harness);
            assert!(
                overlaps.is_empty(),
                "{width}x{height} at {zoom}: {} overlaps, first {:?}",
                overlaps.len(),
                overlaps.first()
            );
        }
    }
}

#[test]
fn the_check_finds_text_drawn_over_text() {
    let harness = Harness::new_ui(|ui| {
        ui.label("under");
        let rect = ui.min_rect();
        ui.put(rect, egui::Label::new("over"));
    });
    let overlaps = overlapping_widgets(&harness);
    assert_eq!(overlaps.len(), 1, "{overlaps:?}");
}

/// The sizes a projector or monitor has, in pixels.
const SCREENS: [(f32, f32); 6] = [
    (1280.0, 720.0),
    (1366.0, 768.0),
    (1600.0, 900.0),
    (1920.0, 1080.0),
    (2560.0, 1440.0),
    (3840.0, 2160.0),
];
const ZOOMS: [u32; 4] = [100, 150, 200, 300];

/// A node's text: its label or value, or (for a label) the text of its runs.
fn node_text(node: &egui_kittest::Node<'_>) -> String {
    let inner = node.accesskit_node();
    if let Some(text) = inner.label().or_else(|| inner.value()) {
        return text;
    }
    node.children()
        .filter_map(|child| child.accesskit_node().value())
        .collect()
}

/// The texts of every node, with their rectangles.
fn texts<S>(harness: &Harness<'_, S>) -> Vec<(String, egui::Rect)> {
    harness
        .root()
        .children_recursive()
        .filter_map(|node| {
            let bounds = node.accesskit_node().raw_bounds()?;
            let rect = egui::Rect::from_min_max(
                egui::pos2(bounds.x0 as f32, bounds.y0 as f32),
                egui::pos2(bounds.x1 as f32, bounds.y1 as f32),
            );
            Some((node_text(&node), rect))
        })
        .filter(|(text, _)| !text.is_empty())
        .collect()
}

/// The rectangle of the node whose text starts with `starts`.
fn node_rect<S>(harness: &Harness<'_, S>, starts: &str) -> Option<egui::Rect> {
    texts(harness)
        .into_iter()
        .find(|(text, _)| text.starts_with(starts))
        .map(|(_, rect)| rect)
}

/// What is wrong with the stage as drawn: overlaps, and (in a window of at least 640x400
/// points) narration, view titles or the step's calls not fully on screen.
fn stage_problems(
    harness: &Harness<'_, WorkbenchApp>,
    say: &str,
    titles: &[String],
) -> Vec<String> {
    let mut problems: Vec<String> = overlapping_widgets(harness)
        .into_iter()
        .map(|(a, b)| format!("{a} overlaps {b}"))
        .collect();
    let screen = harness.ctx.content_rect();
    if screen.width() < 640.0 || screen.height() < 400.0 {
        return problems;
    }
    let inside = |rect: egui::Rect| screen.expand(0.5).contains_rect(rect);
    let head: String = say.chars().take(40).collect();
    match node_rect(harness, &head) {
        Some(rect) if inside(rect) => {}
        Some(rect) => problems.push(format!("narration at {rect:?} is not inside {screen:?}")),
        None => problems.push(format!("no narration starting {head:?}")),
    }
    for title in titles {
        match node_rect(harness, title) {
            Some(rect) if inside(rect) => {}
            Some(rect) => problems.push(format!("{title:?} at {rect:?} is off screen")),
            None => problems.push(format!("no stage view {title:?}")),
        }
    }
    // Every call of the step has its bar inside the stage timeline's diagram.
    let app = harness.state();
    let (Some(run), Some(timeline)) = (app.scenario(), Some(app.stage().timeline())) else {
        return problems;
    };
    let session = app.session();
    let step = run.current.unwrap_or(0);
    if let Some(mark) = run.step_mark(step)
        && titles.iter().any(|title| title.starts_with("Timeline"))
    {
        let body = timeline.body_rect();
        for n in session.log_position(mark)..session.log_len() {
            // The calls of automatic behaviour are summarised, not each shown.
            if let Some(socket_workbench::session::LogEntry::Call(record)) = session.log_entry(n)
                && record.origin != socket_workbench::engine::Origin::Auto
                && timeline.lanes_drawn().contains(&record.socket)
            {
                match timeline.bar_rect(record.call_id) {
                    Some(bar) if body.expand(1.0).contains_rect(bar) => {}
                    other => problems.push(format!(
                        "call {} ({}) of step {} is not fully in the timeline {body:?}: {other:?}",
                        record.call_id.0,
                        record.call.text(),
                        step + 1
                    )),
                }
            }
        }
    }
    problems
}

/// Lessons on the presenter stage at their key step, at every listed screen size and zoom:
/// nothing overlaps, and the narration, the stage views and the step's calls are on screen.
/// Before the presenter layout, the lessons in projector mode with the timeline overlapped in
/// 6-27 places at these sizes (the inspector under the received panel, timeline bars).
#[test]
fn lessons_on_stage_overlap_nothing_and_show_their_point_in_english() {
    lessons_on_stage_overlap_nothing_and_show_their_point(Lang::En);
}

/// Chinese lines break differently (anywhere between characters, not at spaces).
#[test]
fn lessons_on_stage_overlap_nothing_and_show_their_point_in_chinese() {
    lessons_on_stage_overlap_nothing_and_show_their_point(Lang::Zh);
}

/// What the stage views' titles hold, in `lang` (see `stage-*-title` in the catalogue).
fn stage_title_marks(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &[
            "Timeline of step",
            "Kernel: ",
            "Received by",
            "System sockets (",
            "Python of step",
        ],
        Lang::Zh => &[
            "步的时间线",
            "内核：",
            "收到的数据",
            "系统里的套接字（",
            "步的 Python 代码",
        ],
    }
}

fn lessons_on_stage_overlap_nothing_and_show_their_point(lang: Lang) {
    let mut failures = Vec::new();
    let mut checked = 0;
    let lesson_count = WorkbenchApp::new(&egui::Context::default()).lessons().len();
    for lesson_index in 0..lesson_count {
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1920.0, 1080.0))
            .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(lang));
        harness.state_mut().set_present(true);
        let lesson = harness.state().lessons()[lesson_index].clone();
        let script = lesson.script.clone().expect("built-in lessons parse");
        let key = script.key_step();
        let title = lesson.title.get(lang).to_string();
        harness.state_mut().open_lesson(&lesson);
        harness.state_mut().set_present(true);
        harness.state_mut().run_steps(key + 1);
        wait_for_step(&mut harness, key, &title);
        let say = script.steps[key]
            .say
            .as_ref()
            .map(|say| say.get(lang).to_string())
            .unwrap_or_default();
        for (width, height) in SCREENS {
            for zoom in ZOOMS {
                harness.state_mut().set_projector(zoom >= 150);
                harness.state_mut().set_zoom_percent(zoom);
                // The harness keeps its size in pixels of the zoom it was given at: the zoom
                // first, then the size in points.
                harness.run_ok();
                harness.run_ok();
                let points = zoom as f32 / 100.0;
                harness.set_size(egui::vec2(width / points, height / points));
                for _ in 0..4 {
                    harness.run_ok();
                }
                if std::env::var("STAGE_DEBUG").is_ok() {
                    eprintln!(
                        "{width}x{height} {zoom}: {:?} zoom {}",
                        harness.ctx.content_rect(),
                        harness.ctx.zoom_factor()
                    );
                }
                let titles: Vec<String> = texts(&harness)
                    .into_iter()
                    .map(|(text, _)| text)
                    .filter(|label| {
                        stage_title_marks(lang)
                            .iter()
                            .any(|mark| label.contains(mark))
                    })
                    .collect();
                let screen = harness.ctx.content_rect();
                if titles.is_empty() && screen.width() >= 640.0 && screen.height() >= 400.0 {
                    failures.push(format!(
                        "{title} at {width}x{height} {zoom} %: nothing on stage",
                    ));
                }
                for problem in stage_problems(&harness, &say, &titles) {
                    failures.push(format!("{title} at {width}x{height} {zoom} %: {problem}",));
                }
                checked += 1;
            }
        }
    }
    for failure in &failures {
        eprintln!("{failure}");
    }
    assert_eq!(checked, lesson_count * SCREENS.len() * ZOOMS.len());
    assert!(
        failures.is_empty(),
        "{} problems, first 12:\n{}",
        failures.len(),
        failures
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Runs frames until the loaded script has run step `step` (0-based) and stopped (bounded).
fn wait_for_step(harness: &mut Harness<'static, WorkbenchApp>, step: usize, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !harness
        .state()
        .scenario()
        .is_some_and(|run| !run.running && run.current == Some(step))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} did not reach step {}",
            step + 1
        );
        harness.run_ok();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Runs frames until the quick start's three sockets are connected (bounded).
fn quick_start_done(harness: &mut Harness<'static, WorkbenchApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while harness.state().session().stats().sockets_open < 3
        || harness.state().scenario().is_none_or(|run| !run.finished)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the quick start did not finish"
        );
        harness.run_ok();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Sets the window to `width` x `height` pixels at `zoom` percent (projector mode from 150 %),
/// as a person would: the zoom first, then the window.
fn resize(harness: &mut Harness<'static, WorkbenchApp>, width: f32, height: f32, zoom: u32) {
    harness.state_mut().set_projector(zoom >= 150);
    harness.state_mut().set_zoom_percent(zoom);
    harness.run_ok();
    harness.run_ok();
    let points = zoom as f32 / 100.0;
    harness.set_size(egui::vec2(width / points, height / points));
    for _ in 0..4 {
        harness.run_ok();
    }
}

#[test]
fn the_workbench_with_sockets_and_views_open_overlaps_nothing() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En));
    harness.run_ok();
    harness
        .state_mut()
        .apply_intent(socket_workbench::ui::Intent::QuickStart(
            socket_workbench::ui::QuickStart::TcpPair,
        ));
    quick_start_done(&mut harness);
    for kind in [
        socket_workbench::ui::ViewKind::Timeline,
        socket_workbench::ui::ViewKind::Calls,
    ] {
        harness.state_mut().toggle_view(kind);
    }
    let mut failures = Vec::new();
    for (width, height) in [(1280.0, 720.0), (1366.0, 768.0), (1920.0, 1080.0)] {
        for zoom in ZOOMS {
            resize(&mut harness, width, height, zoom);
            let overlaps = overlapping_widgets(&harness);
            if let Some(first) = overlaps.first() {
                failures.push(format!(
                    "{width}x{height} at {zoom} %: {} overlaps, first {first:?}",
                    overlaps.len()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_workbench_after_leaving_a_stage_overlaps_nothing() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En));
    harness.run_ok();
    let lesson = harness
        .state()
        .lessons()
        .iter()
        .find(|lesson| lesson.file_name.contains("10_"))
        .cloned()
        .expect("lesson 10");
    harness.state_mut().open_lesson(&lesson);
    harness.state_mut().set_present(true);
    harness.state_mut().run_steps(3);
    wait_for_step(&mut harness, 2, "lesson 10");
    let mut failures = Vec::new();
    for (width, height) in [(1280.0, 720.0), (1366.0, 768.0), (1920.0, 1080.0)] {
        for zoom in ZOOMS {
            harness.state_mut().set_present(true);
            resize(&mut harness, width, height, zoom);
            // Leave the stage: the workbench with the lesson's sockets.
            harness.state_mut().set_present(false);
            for _ in 0..4 {
                harness.run_ok();
            }
            let overlaps = overlapping_widgets(&harness);
            if let Some(first) = overlaps.first() {
                failures.push(format!(
                    "{width}x{height} at {zoom} %: {} overlaps, first {first:?}",
                    overlaps.len()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A label keeps its call's result: whole, or for a long one (bytes received, an address) at
/// least its beginning.
fn keeps_result(shown: &str, result: &str) -> bool {
    const LONG: usize = 20;
    const KEPT: usize = 12;
    if shown.ends_with(result) {
        return true;
    }
    let beginning: String = result.chars().take(KEPT).collect();
    result.chars().count() > LONG && shown.contains(&beginning)
}

/// Every step of every lesson, at 1280x720 in projector mode: the step's last call on a lane
/// of the stage's timeline has its bar on stage (what the narration is about is never cut
/// off at the bottom), the key call's label keeps its result, and the narration keeps one
/// size from the introduction to the last step.
#[test]
fn every_lesson_steps_last_call_is_on_stage_at_1280x720() {
    let lesson_count = WorkbenchApp::new(&egui::Context::default()).lessons().len();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut labels_checked = 0;
    for lesson_index in 0..lesson_count {
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 720.0))
            .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En));
        harness.run_ok();
        let lesson = harness.state().lessons()[lesson_index].clone();
        let script = lesson.script.clone().expect("built-in lessons parse");
        harness.state_mut().open_lesson(&lesson);
        resize(&mut harness, 1280.0, 720.0, 175);
        harness.state_mut().set_present(true);
        for _ in 0..2 {
            harness.run_ok();
        }
        // One narration size for the whole lesson, its introduction included.
        let intro_size = narration_text_size(&harness.ctx);
        for step in 0..script.steps.len() {
            harness.state_mut().run_steps(step + 1);
            wait_for_step(&mut harness, step, lesson.title.get(Lang::En));
            for _ in 0..4 {
                harness.run_ok();
            }
            let size = narration_text_size(&harness.ctx);
            if intro_size.is_none() || size != intro_size {
                failures.push(format!(
                    "{} step {}: narration size {size:?}, {intro_size:?} in the introduction",
                    lesson.title.get(Lang::En),
                    step + 1
                ));
            }
            let app = harness.state();
            let timeline = app.stage().timeline();
            let lanes = timeline.lanes_drawn();
            if lanes.is_empty() {
                continue; // no timeline on stage in this step
            }
            let mark = app
                .scenario()
                .and_then(|run| run.step_mark(step))
                .expect("the step ran");
            let session = app.session();
            let step_calls: Vec<_> = (session.log_position(mark)..session.log_len())
                .rev()
                .filter_map(|n| match session.log_entry(n) {
                    Some(socket_workbench::session::LogEntry::Call(record))
                        if lanes.contains(&record.socket)
                            && record.origin != socket_workbench::engine::Origin::Auto =>
                    {
                        Some(record)
                    }
                    _ => None,
                })
                .collect();
            let last = step_calls.first().copied();
            // The label that must keep its result: the step's last failure on stage (what a
            // narration is about, which a later plain success must not hide), else its last
            // call.
            let on_stage = |record: &&socket_workbench::session::CallRecord| {
                timeline
                    .bar_rect(record.call_id)
                    .is_some_and(|bar| timeline.body_rect().contains_rect(bar.shrink(0.5)))
            };
            let key = step_calls
                .iter()
                .copied()
                .filter(on_stage)
                .find(|record| {
                    !matches!(
                        record.outcome,
                        Some(socket_workbench::engine::Outcome::Ok(_))
                    )
                })
                .or(last);
            let Some(last) = last else {
                continue;
            };
            checked += 1;
            let body = timeline.body_rect();
            match timeline.bar_rect(last.call_id) {
                Some(bar) if body.contains_rect(bar.shrink(0.5)) => {}
                other => failures.push(format!(
                    "{} step {}: the last call {} is not on stage ({other:?} in {body:?})",
                    lesson.title.get(Lang::En),
                    step + 1,
                    last.call.text()
                )),
            }
            // The key call's label keeps the result, however narrow the lane.
            if let Some(key) = key
                && let Some(returned_us) = key.returned_us
            {
                let full = TimelineView::full_label(Lang::En, session, key, returned_us);
                let result = full.result();
                match timeline.label_shown(key.call_id) {
                    Some(shown) if keeps_result(shown, result) => labels_checked += 1,
                    shown => failures.push(format!(
                        "{} step {}: the label of {} reads {shown:?}, without {result:?}",
                        lesson.title.get(Lang::En),
                        step + 1,
                        key.call.text()
                    )),
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} steps checked");
    assert!(labels_checked > 40, "only {labels_checked} labels checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
