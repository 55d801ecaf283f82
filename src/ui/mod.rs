//! The window: draws the [`Session`] and turns clicks into engine calls. Never blocks and never
//! touches a socket: every call goes through the [`Engine`] to the socket's own thread.
//!
//! Drawing collects [`Intent`]s; they are applied after the frame's drawing, so the drawing code
//! only reads the session.

mod calls;
mod data;
mod sockets;

use crate::engine::{Call, Engine, EngineError, EventReceiver, Family, Origin, SockType, SocketId};
use crate::session::Session;
use std::collections::HashMap;
use std::time::Duration;

pub use calls::{CallForm, address_field_text, parse_address};

/// At most this many events are taken into the session per frame, so a flood cannot make one
/// frame long; the rest wait for the next frame (which is requested at once).
const EVENTS_PER_FRAME: usize = 50_000;

/// While a call is pending its elapsed time is shown; repaint this often to keep it live.
const LIVE_TIMER_REPAINT: Duration = Duration::from_millis(100);

/// What a person asked for while the frame was drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    Create { family: Family, sock_type: SockType },
    Call { socket: SocketId, call: Call },
    Cancel(SocketId),
    Select(SocketId),
    Rename { socket: SocketId, name: String },
}

/// The Socket Workbench window.
pub struct WorkbenchApp {
    engine: Engine,
    events: EventReceiver,
    session: Session,
    selected: Option<SocketId>,
    new_family: Family,
    new_type: SockType,
    forms: HashMap<SocketId, CallForm>,
    /// The latest error the engine gave outside any call (socket() failed, socket gone).
    notice: Option<String>,
}

impl WorkbenchApp {
    /// Starts the engine; its socket threads wake this context whenever they report.
    pub fn new(ctx: &egui::Context) -> Self {
        let ctx = ctx.clone();
        let (engine, events) = Engine::new(move || ctx.request_repaint());
        WorkbenchApp {
            engine,
            events,
            session: Session::default(),
            selected: None,
            new_family: Family::Ipv4,
            new_type: SockType::Stream,
            forms: HashMap::new(),
            notice: None,
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The socket whose call form is shown.
    pub fn selected(&self) -> Option<SocketId> {
        self.selected
    }

    /// The latest engine error shown in the status bar.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Takes waiting events into the session without blocking. True if some were left for the
    /// next frame.
    fn drain_events(&mut self) -> bool {
        for _ in 0..EVENTS_PER_FRAME {
            match self.events.try_recv() {
                Some(event) => self.session.apply(event),
                None => return false,
            }
        }
        true
    }

    /// Performs what the person asked for.
    pub fn apply_intent(&mut self, intent: Intent) {
        match intent {
            Intent::Create { family, sock_type } => match self.engine.create(family, sock_type) {
                Ok(id) => {
                    self.selected = Some(id);
                    self.notice = None;
                }
                Err(error) => self.notice = Some(format!("socket() failed: {error}")),
            },
            Intent::Call { socket, call } => {
                let name = call.name();
                let result = self.engine.call(socket, call, Origin::User);
                self.report(socket, name, result.map(|_| ()));
            }
            Intent::Cancel(socket) => {
                let result = self.engine.cancel(socket);
                self.report(socket, "cancel", result);
            }
            Intent::Select(socket) => self.selected = Some(socket),
            Intent::Rename { socket, name } => {
                self.session.rename(socket, name);
            }
        }
    }

    fn report(&mut self, socket: SocketId, what: &str, result: Result<(), EngineError>) {
        if let Err(error) = result {
            let message = format!("{what} on socket {socket}: {error}");
            if let Some(form) = self.forms.get_mut(&socket) {
                form.engine_error = Some(message.clone());
            }
            self.notice = Some(message);
        }
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let stats = self.session.stats();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} sockets open · {} in · {} out · {} calls pending",
                stats.sockets_open,
                bytes_text(stats.bytes_in),
                bytes_text(stats.bytes_out),
                stats.calls_pending,
            ));
            if stats.dropped_log_entries > 0 || stats.dropped_bytes > 0 {
                ui.label(format!(
                    "· dropped (memory cap): {} log entries, {} received",
                    stats.dropped_log_entries,
                    bytes_text(stats.dropped_bytes),
                ));
            }
            if let Some(notice) = &self.notice {
                ui.colored_label(ui.visuals().error_fg_color, notice);
            }
        });
    }
}

impl eframe::App for WorkbenchApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Also runs while the window is hidden, so events never pile up unread.
        if self.drain_events() {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if self.drain_events() {
            ui.ctx().request_repaint();
        }
        let now_us = self.engine.now_us();
        let mut intents = Vec::new();

        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));

        egui::Panel::left("sockets_panel")
            .resizable(true)
            .default_size(340.0)
            .show(ui, |ui| {
                sockets::sockets_panel_ui(
                    ui,
                    &self.session,
                    self.selected,
                    &mut self.new_family,
                    &mut self.new_type,
                    now_us,
                    &mut intents,
                );
            });

        egui::CentralPanel::default().show(ui, |ui| {
            let view = self.selected.and_then(|id| self.session.socket(id));
            match view {
                Some(view) => {
                    let form = self
                        .forms
                        .entry(view.id)
                        .or_insert_with(|| CallForm::new(view));
                    egui::ScrollArea::vertical()
                        .id_salt("call_form_scroll")
                        .max_height(ui.available_height() * 0.55)
                        .auto_shrink([false, true])
                        .show(ui, |ui| {
                            calls::call_form_ui(
                                ui,
                                &self.session,
                                view,
                                form,
                                now_us,
                                &mut intents,
                            );
                        });
                    ui.separator();
                    data::received_ui(ui, view);
                }
                None => {
                    ui.heading("Socket Workbench");
                    ui.label(
                        "Create a socket on the left (\"New TCP socket\"), then perform its \
                         calls one at a time here and see what each did.",
                    );
                }
            }
        });

        if self.session.stats().calls_pending > 0 {
            ui.ctx().request_repaint_after(LIVE_TIMER_REPAINT);
        }
        for intent in intents {
            self.apply_intent(intent);
        }
    }
}

/// `512 B`, `1.5 KiB`, `3.2 MiB`.
pub fn bytes_text(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if value < KIB {
        format!("{bytes} B")
    } else if value < KIB * KIB {
        format!("{:.1} KiB", value / KIB)
    } else if value < KIB * KIB * KIB {
        format!("{:.1} MiB", value / (KIB * KIB))
    } else {
        format!("{:.2} GiB", value / (KIB * KIB * KIB))
    }
}

/// `40 µs`, `12 ms`, `3.2 s`.
pub fn duration_text(us: u64) -> String {
    if us < 1_000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{} ms", us / 1_000)
    } else {
        format!("{:.1} s", us as f64 / 1_000_000.0)
    }
}

/// "blocked in recv() 3.2 s".
pub fn blocked_text(call: &Call, started_us: u64, now_us: u64) -> String {
    let elapsed_secs = now_us.saturating_sub(started_us) as f64 / 1_000_000.0;
    format!("blocked in {}() {elapsed_secs:.1} s", call.name())
}
