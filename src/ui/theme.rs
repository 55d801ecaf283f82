//! Appearance: fonts (Chinese included, no system font needed), projector mode and zoom.
//!
//! * [`install_fonts`] adds Droid Sans Fallback (built into the binary) after egui's own fonts,
//!   so Latin text keeps egui's look and Chinese falls back to it, in the UI and in data views.
//! * [`Appearance`] is what the person chose (projector mode, zoom); [`Appearance::apply`] puts it
//!   into the [`egui::Context`]. Normal mode is egui's own look (dark or light, as egui picks);
//!   projector mode is a high-contrast light theme with thick lines and 1.25× text, at a zoom of
//!   at least 150 %.
//! * [`ok_color`], [`error_color`], … are the colours the rest of the UI uses for results and
//!   states, chosen to stay readable on both the dark panel and the projector's white.
//!
//! # Zoom
//! The zoom is a whole percentage, 100–300 % in normal mode and 150–300 % in projector mode,
//! in steps of 25 %. Ctrl/Cmd + `+` (or `=`) zooms in, Ctrl/Cmd + `-` zooms out and Ctrl/Cmd + `0`
//! resets to the mode's default: 100 % normally, 175 % in projector mode. egui's own keyboard zoom
//! is switched off, so the percentage shown is always the zoom in effect.
//!
//! Each mode remembers its zoom: switching projector mode on goes to the zoom last used with the
//! projector (175 % the first time), but never smaller than the zoom in use; switching it off
//! goes back to the zoom used before.

use crate::i18n::Lang;
use crate::t;
use egui::{
    Color32, Context, FontData, FontFamily, FontInsert, FontPriority, Id, InsertFontFamily, Key,
    KeyboardShortcut, Modifiers, Stroke, Style, ThemePreference, Visuals,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Droid Sans Fallback (Apache-2.0): CJK glyphs for text egui's own fonts lack.
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallback.ttf");

/// The name the CJK fallback font is installed under in egui's font definitions.
pub const CJK_FONT_NAME: &str = "DroidSansFallback";

/// The exact text of the projector toggle (also its accessible name).
/// The projector switch's label in English (tests click it).
pub const PROJECTOR_LABEL: &str = "Projector mode";

/// The smallest zoom, in percent.
pub const MIN_ZOOM_PERCENT: u32 = 100;
/// The largest zoom, in percent.
pub const MAX_ZOOM_PERCENT: u32 = 300;
/// One zoom step (a shortcut press or a click on − / +), in percent.
pub const ZOOM_STEP_PERCENT: u32 = 25;
/// The smallest zoom in projector mode, in percent.
pub const PROJECTOR_MIN_ZOOM_PERCENT: u32 = 150;
/// The zoom projector mode starts at, and the one Ctrl+0 resets to while it is on.
pub const PROJECTOR_DEFAULT_ZOOM_PERCENT: u32 = 175;
/// How much larger text is in projector mode than in egui's default style.
pub const PROJECTOR_TEXT_SCALE: f32 = 1.25;

/// Ctrl/Cmd + `+`.
pub const ZOOM_IN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
/// Ctrl/Cmd + `=` (the `+` key without Shift on most layouts).
pub const ZOOM_IN_SECONDARY_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
/// Ctrl/Cmd + `-`.
pub const ZOOM_OUT_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Ctrl/Cmd + `0`.
pub const ZOOM_RESET_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);

/// Adds the CJK fallback font after egui's default fonts for both the Proportional and the
/// Monospace families (so Latin text keeps egui's look, Chinese falls back to Droid Sans
/// Fallback). Call once at startup (and in tests); further calls on the same context do nothing.
///
/// Safe before the context's first pass: the font is then loaded when that pass begins.
pub fn install_fonts(ctx: &Context) {
    let installed = Id::unique("socket_workbench::theme::cjk_font_installed");
    if ctx
        .data(|data| data.get_temp::<bool>(installed))
        .unwrap_or(false)
    {
        return;
    }
    ctx.data_mut(|data| data.insert_temp(installed, true));
    ctx.add_font(FontInsert::new(
        CJK_FONT_NAME,
        FontData::from_static(CJK_FONT),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}

/// What the person chose for the look of the window; remembered between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Appearance {
    /// High-contrast light theme, thick lines, larger text and zoom, for a classroom projector.
    pub projector: bool,
    /// The zoom in use, in percent: 100..=300 (150..=300 in projector mode). A value outside the
    /// range (e.g. from a hand-edited file) is clamped when used; see
    /// [`Appearance::effective_zoom_percent`].
    pub zoom_percent: u32,
    /// The zoom to return to when projector mode is switched off.
    pub desk_zoom_percent: u32,
    /// The zoom last used in projector mode, to return to when it is switched on again.
    pub projector_zoom_percent: u32,
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            projector: false,
            zoom_percent: MIN_ZOOM_PERCENT,
            desk_zoom_percent: MIN_ZOOM_PERCENT,
            projector_zoom_percent: PROJECTOR_DEFAULT_ZOOM_PERCENT,
        }
    }
}

impl Appearance {
    /// Projector mode at its default zoom (175 %).
    pub fn projector() -> Self {
        let mut appearance = Appearance::default();
        appearance.set_projector(true);
        appearance
    }

    /// Switches projector mode on or off, moving to that mode's zoom (see the module docs).
    pub fn set_projector(&mut self, on: bool) {
        if on == self.projector {
            return;
        }
        if on {
            self.desk_zoom_percent = clamp_zoom(self.zoom_percent, false);
            self.zoom_percent =
                clamp_zoom(self.projector_zoom_percent.max(self.zoom_percent), true);
        } else {
            self.projector_zoom_percent = clamp_zoom(self.zoom_percent, true);
            self.zoom_percent = clamp_zoom(self.desk_zoom_percent, false);
        }
        self.projector = on;
    }

    /// The smallest zoom allowed in the current mode, in percent.
    pub fn min_zoom_percent(&self) -> u32 {
        if self.projector {
            PROJECTOR_MIN_ZOOM_PERCENT
        } else {
            MIN_ZOOM_PERCENT
        }
    }

    /// The zoom Ctrl+0 and "Reset" go back to: 100 %, or 175 % in projector mode.
    pub fn default_zoom_percent(&self) -> u32 {
        if self.projector {
            PROJECTOR_DEFAULT_ZOOM_PERCENT
        } else {
            MIN_ZOOM_PERCENT
        }
    }

    /// The zoom in effect: [`Appearance::zoom_percent`] clamped to the current mode's range.
    pub fn effective_zoom_percent(&self) -> u32 {
        clamp_zoom(self.zoom_percent, self.projector)
    }

    /// The zoom in effect as egui's zoom factor (1.0 = 100 %).
    pub fn zoom_factor(&self) -> f32 {
        self.effective_zoom_percent() as f32 / 100.0
    }

    /// "175 %".
    pub fn zoom_text(&self) -> String {
        format!("{} %", self.effective_zoom_percent())
    }

    /// Sets the zoom, clamped to the current mode's range. True if it changed.
    pub fn set_zoom_percent(&mut self, percent: u32) -> bool {
        let before = self.zoom_percent;
        self.zoom_percent = clamp_zoom(percent, self.projector);
        self.zoom_percent != before
    }

    /// One step (25 %) larger, up to 300 %. True if it changed.
    pub fn zoom_in(&mut self) -> bool {
        self.set_zoom_percent(
            self.effective_zoom_percent()
                .saturating_add(ZOOM_STEP_PERCENT),
        )
    }

    /// One step (25 %) smaller, down to 100 % (150 % in projector mode). True if it changed.
    pub fn zoom_out(&mut self) -> bool {
        self.set_zoom_percent(
            self.effective_zoom_percent()
                .saturating_sub(ZOOM_STEP_PERCENT),
        )
    }

    /// Back to the mode's default zoom (100 %, or 175 % in projector mode). True if it changed.
    pub fn reset_zoom(&mut self) -> bool {
        self.set_zoom_percent(self.default_zoom_percent())
    }

    /// Applies zoom and theme to the context.
    ///
    /// Normal mode: egui's own look, dark or light as egui picks (theme preference `System`,
    /// which follows the desktop; dark where it is unknown, as in tests) with the dark/light
    /// styles the context had the first time this was called, at [`Appearance::zoom_percent`].
    /// Projector mode: the light theme made high-contrast (white background, black text, strong
    /// colours, 2 px strokes, 1.25× text) at 150–300 %.
    ///
    /// Cheap and idempotent: it swaps shared styles (built once per context), never touches the
    /// fonts, and only requests a repaint when something changed. It takes effect from the next
    /// pass (egui applies a new zoom and style when a pass begins). It also switches off egui's
    /// own keyboard zoom, which [`Appearance::handle_shortcuts`] replaces.
    ///
    /// It owns the context's theme preference and dark/light styles: customise the styles before
    /// the first call, and they are kept in normal mode and built upon in projector mode.
    pub fn apply(&self, ctx: &Context) {
        disable_egui_keyboard_zoom(ctx);
        let looks = base_looks(ctx);
        let (preference, light) = if self.projector {
            (ThemePreference::Light, &looks.projector)
        } else {
            (ThemePreference::System, &looks.light)
        };
        let changed = ctx.options_mut(|options| {
            let mut changed = false;
            if options.theme_preference != preference {
                options.theme_preference = preference;
                changed = true;
            }
            changed |= replace_style(&mut options.dark_style, &looks.dark);
            changed |= replace_style(&mut options.light_style, light);
            changed
        });
        // Requests its own repaint when the zoom changes.
        ctx.set_zoom_factor(self.zoom_factor());
        if changed {
            ctx.request_repaint();
        }
    }

    /// Ctrl/Cmd + `+` or `=` zooms in by 25 %, Ctrl/Cmd + `-` zooms out, Ctrl/Cmd + `0` resets
    /// to the mode's default (100 %, or 175 % in projector mode); always within 100–300 %
    /// (150–300 % in projector mode). The keys are consumed, and egui's own keyboard zoom is
    /// switched off, so a press is never applied twice.
    ///
    /// Call once per frame before drawing. Returns true if something changed; then call
    /// [`Appearance::apply`].
    pub fn handle_shortcuts(&mut self, ctx: &Context) -> bool {
        disable_egui_keyboard_zoom(ctx);
        let (zoom_in, zoom_out, reset) = ctx.input_mut(|input| {
            let zoom_in = input
                .count_and_consume_key(ZOOM_IN_SHORTCUT.modifiers, ZOOM_IN_SHORTCUT.logical_key)
                + input.count_and_consume_key(
                    ZOOM_IN_SECONDARY_SHORTCUT.modifiers,
                    ZOOM_IN_SECONDARY_SHORTCUT.logical_key,
                );
            let zoom_out = input
                .count_and_consume_key(ZOOM_OUT_SHORTCUT.modifiers, ZOOM_OUT_SHORTCUT.logical_key);
            let reset = input.count_and_consume_key(
                ZOOM_RESET_SHORTCUT.modifiers,
                ZOOM_RESET_SHORTCUT.logical_key,
            );
            (zoom_in, zoom_out, reset)
        });
        let mut changed = false;
        if reset > 0 {
            changed |= self.reset_zoom();
        } else {
            for _ in 0..zoom_in {
                changed |= self.zoom_in();
            }
            for _ in 0..zoom_out {
                changed |= self.zoom_out();
            }
        }
        changed
    }

    /// A compact toolbar control: the "Projector mode" checkbox, − / "175 %" / + zoom buttons and
    /// "Reset". Returns true if something changed; then call [`Appearance::apply`].
    /// The words of [`Appearance::toolbar_ui`]'s buttons (the toolbar measures them).
    pub fn toolbar_words(lang: Lang) -> Vec<String> {
        vec![
            t!(lang, "display-projector"),
            t!(lang, "display-zoom-reset"),
        ]
    }

    pub fn toolbar_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let mut changed = false;
        let lang = super::lang(ui.ctx());
        ui.horizontal(|ui| {
            let mut projector = self.projector;
            if ui
                .checkbox(&mut projector, t!(lang, "display-projector"))
                .on_hover_text(t!(lang, "display-projector-tip"))
                .changed()
            {
                self.set_projector(projector);
                changed = true;
            }
            let zoom = self.effective_zoom_percent();
            let ctx = ui.ctx().clone();
            if ui
                .add_enabled(zoom > self.min_zoom_percent(), egui::Button::new("−"))
                .on_hover_text(t!(
                    lang,
                    "display-zoom-out-tip",
                    keys = ctx.format_shortcut(&ZOOM_OUT_SHORTCUT)
                ))
                .clicked()
            {
                changed |= self.zoom_out();
            }
            ui.label(self.zoom_text())
                .on_hover_text(t!(lang, "display-zoom-tip"));
            if ui
                .add_enabled(zoom < MAX_ZOOM_PERCENT, egui::Button::new("+"))
                .on_hover_text(t!(
                    lang,
                    "display-zoom-in-tip",
                    keys = ctx.format_shortcut(&ZOOM_IN_SHORTCUT)
                ))
                .clicked()
            {
                changed |= self.zoom_in();
            }
            let default = self.default_zoom_percent();
            if ui
                .add_enabled(
                    zoom != default,
                    egui::Button::new(t!(lang, "display-zoom-reset")),
                )
                .on_hover_text(t!(
                    lang,
                    "display-zoom-reset-tip",
                    percent = default,
                    keys = ctx.format_shortcut(&ZOOM_RESET_SHORTCUT)
                ))
                .clicked()
            {
                changed |= self.reset_zoom();
            }
        });
        changed
    }
}

fn clamp_zoom(percent: u32, projector: bool) -> u32 {
    let min = if projector {
        PROJECTOR_MIN_ZOOM_PERCENT
    } else {
        MIN_ZOOM_PERCENT
    };
    percent.clamp(min, MAX_ZOOM_PERCENT)
}

fn disable_egui_keyboard_zoom(ctx: &Context) {
    if ctx.options(|options| options.zoom_with_keyboard) {
        ctx.options_mut(|options| options.zoom_with_keyboard = false);
    }
}

/// Puts `wanted` in `slot` unless it already holds it. True if it changed.
fn replace_style(slot: &mut Arc<Style>, wanted: &Arc<Style>) -> bool {
    if Arc::ptr_eq(slot, wanted) {
        return false;
    }
    let changed = **slot != **wanted;
    *slot = Arc::clone(wanted);
    changed
}

/// The styles [`Appearance::apply`] switches between, built once per context.
#[derive(Clone)]
struct BaseLooks {
    dark: Arc<Style>,
    light: Arc<Style>,
    projector: Arc<Style>,
}

/// The context's dark and light styles as they were before the first [`Appearance::apply`],
/// and the projector style built on that light style.
///
/// (Not the theme preference: eframe restores it from the last run, so it may be the
/// projector's light one.)
fn base_looks(ctx: &Context) -> BaseLooks {
    let id = Id::unique("socket_workbench::theme::base_looks");
    if let Some(looks) = ctx.data(|data| data.get_temp::<BaseLooks>(id)) {
        return looks;
    }
    let (dark, light) = ctx.options(|options| {
        (
            Arc::clone(&options.dark_style),
            Arc::clone(&options.light_style),
        )
    });
    let looks = BaseLooks {
        projector: Arc::new(projector_style(&light)),
        dark,
        light,
    };
    ctx.data_mut(|data| data.insert_temp(id, looks.clone()));
    looks
}

/// The projector style built on a light style: white background, black text, strong accent
/// colours that survive a washed-out projector, 2 px strokes, text 1.25× larger, solid scroll
/// bars. (Used by [`Appearance::apply`]; public so its values can be checked.)
pub fn projector_style(light: &Style) -> Style {
    let mut style = light.clone();
    for font in style.text_styles.values_mut() {
        font.size *= PROJECTOR_TEXT_SCALE;
    }
    let spacing = &mut style.spacing;
    spacing.icon_width *= PROJECTOR_TEXT_SCALE;
    spacing.icon_width_inner *= PROJECTOR_TEXT_SCALE;
    spacing.icon_spacing *= PROJECTOR_TEXT_SCALE;
    spacing.scroll = egui::style::ScrollStyle {
        bar_width: 12.0,
        ..egui::style::ScrollStyle::solid()
    };
    style.visuals = projector_visuals(&style.visuals);
    style
}

/// The projector visuals built on light visuals (keeping e.g. text options and animations).
fn projector_visuals(light: &Visuals) -> Visuals {
    let mut visuals = light.clone();
    let black = Color32::BLACK;
    let white = Color32::WHITE;
    let accent = light_palette::ACCENT;

    visuals.dark_mode = false;
    visuals.override_text_color = None;
    visuals.weak_text_color = Some(light_palette::MUTED);
    visuals.hyperlink_color = accent;
    visuals.panel_fill = white;
    visuals.window_fill = white;
    visuals.extreme_bg_color = white;
    visuals.text_edit_bg_color = Some(white);
    visuals.faint_bg_color = Color32::from_gray(236);
    visuals.code_bg_color = Color32::from_gray(228);
    visuals.warn_fg_color = light_palette::WARN;
    visuals.error_fg_color = light_palette::ERROR;
    visuals.window_stroke = Stroke::new(2.0, Color32::from_gray(40));
    visuals.striped = true;
    visuals.collapsing_header_frame = true;
    visuals.indent_has_left_vline = true;
    visuals.resize_corner_size = 16.0;

    visuals.selection.bg_fill = Color32::from_rgb(140, 195, 255);
    visuals.selection.stroke = Stroke::new(2.0, Color32::from_rgb(0, 30, 120));
    visuals.text_cursor.stroke = Stroke::new(3.0, black);
    visuals.ime_composition.active_underline_stroke = Stroke::new(3.0, black);
    visuals.ime_composition.inactive_underline_stroke = Stroke::new(2.0, Color32::from_gray(110));

    let widgets = &mut visuals.widgets;
    // Labels, separators, frames of non-interactive things.
    widgets.noninteractive.bg_fill = white;
    widgets.noninteractive.weak_bg_fill = white;
    widgets.noninteractive.bg_stroke = Stroke::new(2.0, Color32::from_gray(70));
    widgets.noninteractive.fg_stroke = Stroke::new(2.0, black);
    // Buttons, checkboxes at rest: a visible frame on white.
    widgets.inactive.weak_bg_fill = Color32::from_gray(226);
    widgets.inactive.bg_fill = Color32::from_gray(214);
    widgets.inactive.bg_stroke = Stroke::new(2.0, Color32::from_gray(60));
    widgets.inactive.fg_stroke = Stroke::new(2.0, black);
    // Hovered: the accent colour, so the class sees what the pointer is on.
    widgets.hovered.weak_bg_fill = Color32::from_rgb(205, 225, 255);
    widgets.hovered.bg_fill = Color32::from_rgb(205, 225, 255);
    widgets.hovered.bg_stroke = Stroke::new(2.5, accent);
    widgets.hovered.fg_stroke = Stroke::new(2.5, black);
    // Pressed / dragged / focused.
    widgets.active.weak_bg_fill = Color32::from_rgb(160, 200, 250);
    widgets.active.bg_fill = Color32::from_rgb(160, 200, 250);
    widgets.active.bg_stroke = Stroke::new(2.5, black);
    widgets.active.fg_stroke = Stroke::new(2.5, black);
    // A combo box or menu that is open.
    widgets.open.weak_bg_fill = Color32::from_gray(214);
    widgets.open.bg_fill = white;
    widgets.open.bg_stroke = Stroke::new(2.0, Color32::from_gray(40));
    widgets.open.fg_stroke = Stroke::new(2.0, black);
    visuals
}

/// Colours for light backgrounds (light mode and projector mode): dark and saturated, at least
/// 4.5:1 against white so they survive a washed-out projector.
mod light_palette {
    use egui::Color32;
    pub const OK: Color32 = Color32::from_rgb(0, 115, 30);
    pub const ERROR: Color32 = Color32::from_rgb(190, 0, 0);
    pub const WARN: Color32 = Color32::from_rgb(160, 75, 0);
    pub const PENDING: Color32 = Color32::from_rgb(0, 70, 200);
    pub const MUTED: Color32 = Color32::from_gray(80);
    pub const ACCENT: Color32 = Color32::from_rgb(0, 80, 210);
    pub const WIRE: Color32 = Color32::from_rgb(130, 0, 150);
}

/// Colours for dark backgrounds: light and saturated, at least 4.5:1 against egui's dark panel.
mod dark_palette {
    use egui::Color32;
    pub const OK: Color32 = Color32::from_rgb(90, 210, 110);
    pub const ERROR: Color32 = Color32::from_rgb(255, 110, 110);
    pub const WARN: Color32 = Color32::from_rgb(255, 170, 60);
    pub const PENDING: Color32 = Color32::from_rgb(110, 175, 255);
    pub const MUTED: Color32 = Color32::from_gray(155);
    pub const ACCENT: Color32 = Color32::from_rgb(90, 170, 255);
    pub const WIRE: Color32 = Color32::from_rgb(225, 130, 255);
}

/// A call that succeeded; a listening or connected socket.
pub fn ok_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::OK
    } else {
        light_palette::OK
    }
}

/// A call that failed (errno); a socket in error.
pub fn error_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::ERROR
    } else {
        light_palette::ERROR
    }
}

/// Something to notice that is not a failure: EOF, a partial send, dropped data, a listener
/// reachable from the network.
pub fn warn_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::WARN
    } else {
        light_palette::WARN
    }
}

/// A call still running: "blocked in recv() 3.2 s".
pub fn pending_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::PENDING
    } else {
        light_palette::PENDING
    }
}

/// Secondary text (timestamps, hints) that must still be readable.
pub fn muted_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::MUTED
    } else {
        light_palette::MUTED
    }
}

/// Highlights: the selected socket, arrows from a send to its recv.
pub fn accent_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::ACCENT
    } else {
        light_palette::ACCENT
    }
}

/// The wire: segments on loopback (their arrows and rows), apart from the calls' colours.
pub fn wire_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        dark_palette::WIRE
    } else {
        light_palette::WIRE
    }
}

/// The width for drawn lines (timeline bars and arrows, gauges): 1.5 pt normally, 3 pt in
/// projector mode (derived from the theme's text stroke width).
pub fn line_width(visuals: &Visuals) -> f32 {
    (visuals.widgets.noninteractive.fg_stroke.width * 1.5).max(1.5)
}

/// Whether these visuals are the projector's (thick 2 px strokes on a white panel).
pub fn is_projector(visuals: &Visuals) -> bool {
    !visuals.dark_mode
        && visuals.panel_fill == Color32::WHITE
        && visuals.widgets.noninteractive.fg_stroke.width >= 2.0
}
