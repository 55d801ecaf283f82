//! No two visible widgets drawn over each other: the window's widgets, as egui placed them in
//! the last frame (each one's rectangle clipped to what is on screen), checked pair by pair on
//! each layer (a tooltip or a popup is on a layer of its own and may cover others).

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use socket_workbench::ui::WorkbenchApp;
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
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx));
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

/// The lessons on stage (projector mode, timeline open, every step run) at two projector
/// sizes. Issue 10's presenter layout is not built yet, so this fails today: at 1280x720 the
/// received view's minimum height pushes over the inspector's header (6-13 overlapping
/// pairs), and at 1920x1080 the timeline's bars of consecutive calls touch (19-23 pairs). It
/// runs with `cargo test --test ui -- --ignored lessons_on_stage`.
#[test]
#[ignore = "fails until issue 10's presenter layout lands"]
fn lessons_on_stage_overlap_nothing() {
    let mut failures = Vec::new();
    for (width, height) in [(1280.0, 720.0), (1920.0, 1080.0)] {
        for lesson_index in [0, 9, 13] {
            let mut harness = app_at(width, height, 1.0);
            harness.get_by_label("Projector mode").click();
            harness.run_ok();
            harness
                .state_mut()
                .toggle_view(socket_workbench::ui::ViewKind::Timeline);
            let lesson = harness.state().lessons()[lesson_index].clone();
            harness.state_mut().open_lesson(&lesson);
            harness.state_mut().run_all_steps();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while !harness
                .state()
                .scenario()
                .is_some_and(|run| run.finished && !run.running)
            {
                assert!(
                    std::time::Instant::now() < deadline,
                    "{} did not finish",
                    lesson.title
                );
                harness.run_ok();
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            harness.run_ok();
            let overlaps = overlapping_widgets(&harness);
            if !overlaps.is_empty() {
                failures.push(format!(
                    "{} at {width}x{height}: {} overlaps, first {:?}",
                    lesson.title,
                    overlaps.len(),
                    overlaps[0]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
