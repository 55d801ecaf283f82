//! The window, driven with egui_kittest: widgets found by label, clicked and typed into.

#[path = "../window/mod.rs"]
mod window;

mod accessibility;
mod basic;
mod connections;
mod data;
mod first_hour;
mod framing;
mod language;
mod messages;
mod overlap;
mod start;
mod steady;
mod table;
mod theme;
mod timeline;
mod whole_window;
mod wire;
mod workspace;
