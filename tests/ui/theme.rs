//! Appearance: the CJK font, projector mode, zoom and its shortcuts, the colours' contrast.

use egui::{Color32, FontId, Key, Modifiers, TextStyle, Theme};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use socket_workbench::i18n::Lang;
use socket_workbench::ui::theme::{self, Appearance};

const CHINESE: &str = "中文 你好";

/// A toolbar wired the way the window wires it: shortcuts first, `apply` when the appearance
/// differs from the one applied, then the toolbar control, with Chinese text below it.
struct Toolbar {
    appearance: Appearance,
    applied: Option<Appearance>,
}

impl Toolbar {
    fn ui(&mut self, ui: &mut egui::Ui) {
        if self.appearance.handle_shortcuts(ui.ctx()) {
            self.applied = None;
        }
        if self.applied.as_ref() != Some(&self.appearance) {
            self.appearance.apply(ui.ctx());
            self.applied = Some(self.appearance.clone());
        }
        if self.appearance.toolbar_ui(ui) {
            self.applied = None;
        }
        ui.label(CHINESE);
        ui.monospace(CHINESE);
    }
}

fn toolbar_harness(appearance: Appearance) -> Harness<'static, Toolbar> {
    Harness::builder()
        .with_size(egui::vec2(900.0, 300.0))
        .with_max_steps(10)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(
            |ui, toolbar: &mut Toolbar| toolbar.ui(ui),
            Toolbar {
                appearance,
                applied: None,
            },
        )
}

fn zoom(harness: &Harness<'_, Toolbar>) -> f32 {
    harness.ctx.zoom_factor()
}

fn assert_zoom(harness: &Harness<'_, Toolbar>, percent: u32) {
    let expected = percent as f32 / 100.0;
    assert!(
        (zoom(harness) - expected).abs() < 1e-4,
        "zoom factor {} is not {percent} %",
        zoom(harness)
    );
    assert_eq!(harness.state().appearance.effective_zoom_percent(), percent);
}

fn press(harness: &mut Harness<'_, Toolbar>, key: Key) {
    harness.key_press_modifiers(Modifiers::COMMAND, key);
    harness.run();
}

fn has_glyphs(ctx: &egui::Context, text: &str) -> (bool, bool) {
    ctx.fonts_mut(|fonts| {
        (
            fonts.has_glyphs(&FontId::proportional(14.0), text),
            fonts.has_glyphs(&FontId::monospace(14.0), text),
        )
    })
}

// ---- fonts -----------------------------------------------------------------------------------

#[test]
fn chinese_renders_with_fonts_installed() {
    let mut harness = Harness::builder()
        .with_context_setup(theme::install_fonts)
        .build_ui(|ui| {
            ui.label(CHINESE);
            ui.monospace("收到 4 字节：你好");
            ui.heading("套接字 socket()");
        });
    harness.run();
    assert_eq!(has_glyphs(&harness.ctx, CHINESE), (true, true));
    assert!(harness.query_by_label(CHINESE).is_some());
}

#[test]
fn chinese_renders_when_fonts_are_installed_inside_the_first_frame() {
    // As the window does it: install_fonts from inside the app, not before the first pass.
    let mut harness = Harness::new_ui(|ui| {
        theme::install_fonts(ui.ctx());
        ui.label(CHINESE);
    });
    harness.run();
    assert_eq!(has_glyphs(&harness.ctx, CHINESE), (true, true));
}

#[test]
fn latin_text_keeps_egui_fonts_first() {
    let harness = Harness::builder()
        .with_context_setup(|ctx| {
            theme::install_fonts(ctx);
            theme::install_fonts(ctx); // twice: still added once
        })
        .build_ui(|ui| {
            ui.label("abc");
        });
    let families = harness
        .ctx
        .fonts(|fonts| fonts.definitions().families.clone());
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let names = &families[&family];
        assert_eq!(
            names.last().map(String::as_str),
            Some(theme::CJK_FONT_NAME),
            "{family:?}: {names:?}"
        );
        assert_eq!(
            names
                .iter()
                .filter(|name| *name == theme::CJK_FONT_NAME)
                .count(),
            1,
            "{family:?}: {names:?}"
        );
        assert_ne!(
            names.first().map(String::as_str),
            Some(theme::CJK_FONT_NAME)
        );
    }
}

#[test]
fn without_the_cjk_font_chinese_has_no_glyphs() {
    let harness = Harness::new_ui(|ui| {
        ui.label("abc");
    });
    assert_eq!(has_glyphs(&harness.ctx, CHINESE), (false, false));
    assert_eq!(has_glyphs(&harness.ctx, "abc"), (true, true));
}

#[test]
#[should_panic(expected = "No glyph")]
fn without_the_cjk_font_the_harness_panics_on_chinese() {
    let mut harness = Harness::new_ui(|ui| {
        ui.label(CHINESE);
    });
    harness.run();
}

// ---- projector mode and zoom in a window -----------------------------------------------------

#[test]
fn projector_mode_is_light_large_and_zoomed() {
    let mut harness = toolbar_harness(Appearance::default());
    harness.run();
    assert_zoom(&harness, 100);
    assert!(harness.ctx.global_style().visuals.dark_mode);
    let normal_body = theme_body_size(&harness);
    harness.get_by_label("100 %");

    harness.get_by_label(theme::PROJECTOR_LABEL).click();
    harness.run();

    assert!(harness.state().appearance.projector);
    assert!(zoom(&harness) >= 1.5);
    assert_zoom(&harness, 175);
    assert_eq!(harness.ctx.theme(), Theme::Light);
    let style = harness.ctx.global_style();
    let visuals = &style.visuals;
    assert!(!visuals.dark_mode);
    assert!(theme::is_projector(visuals));
    assert_eq!(visuals.panel_fill, Color32::WHITE);
    assert_eq!(visuals.text_color(), Color32::BLACK);
    assert!(visuals.widgets.inactive.bg_stroke.width >= 2.0);
    assert!(visuals.widgets.noninteractive.bg_stroke.width >= 2.0);
    assert!(visuals.selection.stroke.width >= 2.0);
    let body = theme_body_size(&harness);
    assert!(
        (body / normal_body - theme::PROJECTOR_TEXT_SCALE).abs() < 0.01,
        "{normal_body} -> {body}"
    );
    for text_style in [TextStyle::Button, TextStyle::Monospace] {
        let size = text_style.resolve(&style).size;
        assert!(size >= 16.0, "{text_style:?} is {size}");
    }
    harness.get_by_label("175 %");
    assert!(!harness.ctx.options(|options| options.zoom_with_keyboard));

    // And back: egui's own look and the zoom from before.
    harness.get_by_label(theme::PROJECTOR_LABEL).click();
    harness.run();
    assert!(!harness.state().appearance.projector);
    assert!(harness.ctx.global_style().visuals.dark_mode);
    assert_zoom(&harness, 100);
    assert_eq!(theme_body_size(&harness), normal_body);
}

fn theme_body_size(harness: &Harness<'_, Toolbar>) -> f32 {
    TextStyle::Body.resolve(&harness.ctx.global_style()).size
}

#[test]
fn normal_mode_lets_egui_pick_even_after_a_light_preference_was_restored() {
    // eframe restores egui's options from the last run, which may have ended in projector mode.
    let mut harness = Harness::builder()
        .with_theme(Theme::Light)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(
            |ui, toolbar: &mut Toolbar| toolbar.ui(ui),
            Toolbar {
                appearance: Appearance::default(),
                applied: None,
            },
        );
    harness.run();
    assert_eq!(
        harness.ctx.options(|options| options.theme_preference),
        egui::ThemePreference::System
    );
    // No desktop theme in a test: egui's fallback, dark.
    assert!(harness.ctx.global_style().visuals.dark_mode);
}

#[test]
fn ctrl_plus_zooms_in_by_a_quarter_and_ctrl_zero_resets() {
    let mut harness = toolbar_harness(Appearance::default());
    harness.run();
    assert_zoom(&harness, 100);

    press(&mut harness, Key::Plus);
    assert_zoom(&harness, 125); // not 135: egui's own +10 % did not apply as well
    press(&mut harness, Key::Equals);
    assert_zoom(&harness, 150);
    press(&mut harness, Key::Minus);
    assert_zoom(&harness, 125);
    press(&mut harness, Key::Num0);
    assert_zoom(&harness, 100);
    press(&mut harness, Key::Minus);
    assert_zoom(&harness, 100);
    harness.get_by_label("100 %");
}

#[test]
fn zoom_is_clamped_at_300_percent() {
    let mut harness = toolbar_harness(Appearance::default());
    harness.run();
    for _ in 0..12 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    }
    harness.run();
    assert_zoom(&harness, 300);
    press(&mut harness, Key::Plus);
    assert_zoom(&harness, 300);
    harness.get_by_label("300 %");
}

#[test]
fn projector_shortcuts_stay_within_150_to_300_and_reset_to_175() {
    let mut harness = toolbar_harness(Appearance::default());
    harness.run();
    harness.get_by_label(theme::PROJECTOR_LABEL).click();
    harness.run();
    assert_zoom(&harness, 175);

    press(&mut harness, Key::Plus);
    assert_zoom(&harness, 200);
    press(&mut harness, Key::Num0);
    assert_zoom(&harness, 175);
    press(&mut harness, Key::Minus);
    assert_zoom(&harness, 150);
    press(&mut harness, Key::Minus);
    assert_zoom(&harness, 150);
    assert!(!harness.ctx.global_style().visuals.dark_mode);
}

#[test]
fn toolbar_buttons_zoom_and_reset() {
    let mut harness = toolbar_harness(Appearance::default());
    harness.run();
    harness.get_by_label("+").click();
    harness.run();
    assert_zoom(&harness, 125);
    harness.get_by_label("+").click();
    harness.run();
    assert_zoom(&harness, 150);
    harness.get_by_label("−").click();
    harness.run();
    assert_zoom(&harness, 125);
    harness.get_by_label("Reset").click();
    harness.run();
    assert_zoom(&harness, 100);
}

#[test]
fn restored_projector_appearance_applies_on_the_first_frames() {
    let mut harness = toolbar_harness(Appearance::projector());
    harness.run();
    assert_zoom(&harness, 175);
    assert!(!harness.ctx.global_style().visuals.dark_mode);
    assert_eq!(has_glyphs(&harness.ctx, CHINESE), (true, true));
}

#[test]
fn apply_is_idempotent() {
    let mut harness = toolbar_harness(Appearance::projector());
    harness.run();
    let before = harness.ctx.global_style();
    Appearance::projector().apply(&harness.ctx);
    Appearance::projector().apply(&harness.ctx);
    harness.run();
    assert!(std::sync::Arc::ptr_eq(&before, &harness.ctx.global_style()));
    assert_zoom(&harness, 175);
}

// ---- the appearance alone --------------------------------------------------------------------

#[test]
fn zoom_steps_are_clamped() {
    let mut appearance = Appearance::default();
    assert_eq!(appearance.zoom_percent, 100);
    assert!(!appearance.zoom_out());
    assert_eq!(appearance.zoom_percent, 100);
    for _ in 0..20 {
        appearance.zoom_in();
    }
    assert_eq!(appearance.zoom_percent, 300);
    assert!(!appearance.zoom_in());
    assert!(appearance.set_zoom_percent(1_000) || appearance.zoom_percent == 300);
    assert_eq!(appearance.zoom_percent, 300);
    appearance.set_zoom_percent(10);
    assert_eq!(appearance.zoom_percent, 100);
    assert!(appearance.set_zoom_percent(225));
    assert!(appearance.reset_zoom());
    assert_eq!(appearance.zoom_percent, 100);
    assert!(!appearance.reset_zoom());
}

#[test]
fn out_of_range_values_are_clamped_when_used() {
    let appearance = Appearance {
        zoom_percent: 5_000,
        ..Appearance::default()
    };
    assert_eq!(appearance.effective_zoom_percent(), 300);
    assert_eq!(appearance.zoom_factor(), 3.0);
    let appearance = Appearance {
        zoom_percent: 0,
        ..Appearance::default()
    };
    assert_eq!(appearance.effective_zoom_percent(), 100);
    let appearance = Appearance {
        projector: true,
        zoom_percent: 100,
        ..Appearance::default()
    };
    assert_eq!(appearance.effective_zoom_percent(), 150);
    assert_eq!(appearance.zoom_text(), "150 %");
}

#[test]
fn projector_remembers_each_modes_zoom() {
    let mut appearance = Appearance::default();
    appearance.set_zoom_percent(125);
    appearance.set_projector(true);
    assert_eq!(appearance.zoom_percent, 175); // the projector default
    assert_eq!(appearance.default_zoom_percent(), 175);
    appearance.zoom_out();
    assert_eq!(appearance.zoom_percent, 150);
    assert!(!appearance.zoom_out()); // at least 150 % on a projector
    appearance.set_projector(false);
    assert_eq!(appearance.zoom_percent, 125); // back to the desk zoom
    appearance.set_projector(true);
    assert_eq!(appearance.zoom_percent, 150); // the projector zoom chosen before

    // A desk zoom above the projector's is kept: switching on never makes things smaller.
    let mut appearance = Appearance::default();
    appearance.set_zoom_percent(250);
    appearance.set_projector(true);
    assert_eq!(appearance.zoom_percent, 250);
    appearance.set_projector(true); // no change
    assert_eq!(appearance.zoom_percent, 250);
    appearance.set_projector(false);
    assert_eq!(appearance.zoom_percent, 250);
}

#[test]
fn empty_toml_gives_defaults() {
    let appearance: Appearance = toml::from_str("").expect("empty TOML");
    assert_eq!(appearance, Appearance::default());
    assert!(!appearance.projector);
    assert_eq!(appearance.zoom_percent, 100);

    let appearance: Appearance = toml::from_str("projector = true").expect("partial TOML");
    assert!(appearance.projector);
    assert_eq!(appearance.effective_zoom_percent(), 150);

    let appearance: Appearance =
        toml::from_str("zoom_percent = 200\nunknown_later_field = 1").expect("extra field");
    assert_eq!(appearance.zoom_percent, 200);
}

#[test]
fn toml_round_trip() {
    let mut appearance = Appearance::default();
    appearance.set_zoom_percent(150);
    appearance.set_projector(true);
    appearance.zoom_in();
    let text = toml::to_string(&appearance).expect("serialize");
    let back: Appearance = toml::from_str(&text).expect("deserialize");
    assert_eq!(back, appearance);
}

// ---- colours ---------------------------------------------------------------------------------

fn luminance(color: Color32) -> f32 {
    let channel = |value: u8| {
        let value = value as f32 / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color.r()) + 0.7152 * channel(color.g()) + 0.0722 * channel(color.b())
}

/// WCAG contrast ratio, 1..=21.
fn contrast(a: Color32, b: Color32) -> f32 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

fn assert_readable(visuals: &egui::Visuals, what: &str) {
    let background = visuals.panel_fill;
    let colours = [
        ("ok", theme::ok_color(visuals)),
        ("error", theme::error_color(visuals)),
        ("warn", theme::warn_color(visuals)),
        ("pending", theme::pending_color(visuals)),
        ("muted", theme::muted_color(visuals)),
        ("accent", theme::accent_color(visuals)),
        ("text", visuals.text_color()),
        ("weak text", visuals.weak_text_color()),
    ];
    for (name, colour) in colours {
        let ratio = contrast(colour, background);
        assert!(
            ratio >= 4.5,
            "{what}: {name} {colour:?} on {background:?} has contrast {ratio:.2}"
        );
    }
}

#[test]
fn colours_are_readable_in_every_theme() {
    let projector = theme::projector_style(&egui::Style {
        visuals: egui::Visuals::light(),
        ..egui::Style::default()
    });
    assert_readable(&projector.visuals, "projector");
    assert!(contrast(projector.visuals.text_color(), Color32::WHITE) >= 15.0);
    let dark = egui::Visuals::dark();
    for colour in [
        theme::ok_color(&dark),
        theme::error_color(&dark),
        theme::warn_color(&dark),
        theme::pending_color(&dark),
        theme::muted_color(&dark),
        theme::accent_color(&dark),
    ] {
        assert!(contrast(colour, dark.panel_fill) >= 4.5, "{colour:?}");
    }
    let light = egui::Visuals::light();
    for colour in [
        theme::ok_color(&light),
        theme::error_color(&light),
        theme::warn_color(&light),
        theme::pending_color(&light),
        theme::muted_color(&light),
        theme::accent_color(&light),
    ] {
        assert!(contrast(colour, light.panel_fill) >= 4.5, "{colour:?}");
    }
}

#[test]
fn lines_are_thicker_in_projector_mode() {
    let projector = theme::projector_style(&egui::Style {
        visuals: egui::Visuals::light(),
        ..egui::Style::default()
    });
    assert!(theme::line_width(&projector.visuals) >= 3.0);
    assert!(theme::line_width(&egui::Visuals::dark()) < 3.0);
    assert!(!theme::is_projector(&egui::Visuals::light()));
    assert!(!theme::is_projector(&egui::Visuals::dark()));
}

// ---- in the real window ----------------------------------------------------------------------

#[test]
fn projector_mode_in_the_window() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .with_max_steps(10)
        .build_eframe(|cc| {
            socket_workbench::ui::WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En)
        });
    harness.run_ok();
    assert!(harness.ctx.global_style().visuals.dark_mode);
    assert_eq!(has_glyphs(&harness.ctx, CHINESE), (true, true));

    harness.get_by_label(theme::PROJECTOR_LABEL).click();
    harness.run_ok();
    harness.run_ok();
    assert!(harness.state().appearance().projector);
    assert!(harness.ctx.zoom_factor() >= 1.5);
    assert!(!harness.ctx.global_style().visuals.dark_mode);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run_ok();
    harness.run_ok();
    assert_eq!(harness.state().appearance().effective_zoom_percent(), 200);
    assert!((harness.ctx.zoom_factor() - 2.0).abs() < 1e-4);
}
