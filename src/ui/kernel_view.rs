//! What the kernel holds for one socket, as gauges: the receive and send queues against
//! SO_RCVBUF / SO_SNDBUF, a listener's accept queue against its backlog (one cell per slot),
//! the TCP state in large letters with what it means, and the RTT.
//!
//! The gauges draw the socket's latest [`KernelSnapshot`](crate::engine::kernel::KernelSnapshot)
//! (`SocketView::kernel`). While the Kernel section is open the app asks for a new snapshot
//! every [`REFRESH_INTERVAL_US`]; [`wants_refresh`] says when the next one is due.

use super::{bytes_text, duration_text, theme};
use crate::engine::Lifecycle;
use crate::engine::kernel::KernelSnapshot;
use crate::i18n::Lang;
use crate::session::SocketView;
use crate::t;
use egui::accesskit::Role;
use egui::{ProgressBar, RichText, Sense, Stroke, StrokeKind, WidgetInfo};

/// How often the app asks for a snapshot of a socket whose Kernel section is open, in
/// microseconds (the session's clock).
pub const REFRESH_INTERVAL_US: u64 = 250_000;

/// A snapshot older than this is marked as old (the socket was closed, or nobody asked).
const STALE_AFTER_US: u64 = 2_000_000;

/// Backlogs up to this size are drawn one cell per slot; larger ones as a bar.
const MAX_CELLS: u32 = 32;

/// What the gauges say where the OS gives no kernel view, in English (the window shows
/// `kernel-not-available` in its language; tests look for this).
pub const NOT_AVAILABLE: &str = "The kernel view is not available on this operating system: the \
     receive and send queue bytes (SIOCINQ / SIOCOUTQ), the TCP state and RTT (TCP_INFO) and a \
     listener's accept queue are read on Linux only.";

/// True when the app should ask the engine for a new snapshot of this socket (with
/// `engine.snapshot(view.id)`): the socket is open and the last request (`last_asked_us`, on the
/// session's clock; None if never asked) is at least [`REFRESH_INTERVAL_US`] old.
///
/// Call it only for sockets whose Kernel section is open, record `now_us` as the new
/// `last_asked_us` when asking, and `request_repaint_after` that interval while it is open.
pub fn wants_refresh(view: &SocketView, last_asked_us: Option<u64>, now_us: u64) -> bool {
    if view.closed || view.thread_ended {
        return false;
    }
    match last_asked_us {
        None => true,
        Some(asked) => now_us.saturating_sub(asked) >= REFRESH_INTERVAL_US,
    }
}

/// One line on what a TCP state (netstat name) means; empty for names it does not know.
pub fn tcp_state_explanation(lang: Lang, state: &str) -> String {
    match state {
        "ESTABLISHED" => t!(lang, "kernel-state-established"),
        "SYN_SENT" => t!(lang, "kernel-state-syn-sent"),
        "SYN_RECV" | "NEW_SYN_RECV" => t!(lang, "kernel-state-syn-recv"),
        "FIN_WAIT1" => t!(lang, "kernel-state-fin-wait1"),
        "FIN_WAIT2" => t!(lang, "kernel-state-fin-wait2"),
        "TIME_WAIT" => t!(lang, "kernel-state-time-wait"),
        "CLOSE" => t!(lang, "kernel-state-close"),
        "CLOSE_WAIT" => t!(lang, "kernel-state-close-wait"),
        "LAST_ACK" => t!(lang, "kernel-state-last-ack"),
        "LISTEN" => t!(lang, "kernel-state-listen"),
        "CLOSING" => t!(lang, "kernel-state-closing"),
        "LISTENING" => t!(lang, "kernel-state-unix-listening"),
        "CONNECTED" => t!(lang, "kernel-state-unix-connected"),
        _ => String::new(),
    }
}

/// `0.42` of a gauge; 0 when the size is unknown or 0.
fn fraction(used: u32, size: Option<u32>) -> f32 {
    match size {
        Some(size) if size > 0 => (used as f32 / size as f32).clamp(0.0, 1.0),
        _ => 0.0,
    }
}

/// A queue gauge: "5 B of 128.0 KiB (SO_RCVBUF)".
fn queue_gauge(ui: &mut egui::Ui, used: u32, size: Option<u32>, option: &str) -> egui::Response {
    let lang = crate::ui::lang(ui.ctx());
    let text = match size {
        Some(size) => t!(
            lang,
            "kernel-queue-of",
            used = bytes_text(u64::from(used)),
            size = bytes_text(u64::from(size)),
            option = option
        ),
        None => bytes_text(u64::from(used)),
    };
    ui.add(
        ProgressBar::new(fraction(used, size))
            .desired_width(ui.available_width().clamp(120.0, 320.0))
            .text(text),
    )
}

/// A row of `backlog` cells, the first `queued` filled; cells past the backlog (Linux lets
/// one more in) are drawn in the warning colour.
fn accept_cells(ui: &mut egui::Ui, queued: u32, backlog: u32) -> egui::Response {
    let lang = crate::ui::lang(ui.ctx());
    let filled = theme::accent_color(ui.visuals());
    let over = theme::warn_color(ui.visuals());
    let outline = Stroke::new(
        theme::line_width(ui.visuals()).max(1.0),
        theme::muted_color(ui.visuals()),
    );
    let cells = backlog.max(queued).max(1);
    let size = ui.spacing().interact_size.y * 0.7;
    let gap = 3.0;
    let width = cells as f32 * (size + gap) - gap;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, size), Sense::hover());
    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        for cell in 0..cells {
            let left = rect.left() + cell as f32 * (size + gap);
            let cell_rect =
                egui::Rect::from_min_size(egui::pos2(left, rect.top()), egui::vec2(size, size));
            if cell < queued {
                let color = if cell < backlog { filled } else { over };
                painter.rect_filled(cell_rect, 2.0, color);
            }
            painter.rect_stroke(cell_rect, 2.0, outline, StrokeKind::Inside);
        }
    }
    response.widget_info(|| {
        WidgetInfo::labeled(
            Role::ProgressIndicator,
            true,
            t!(
                lang,
                "kernel-accept-cells",
                queued = queued,
                backlog = backlog
            ),
        )
    });
    response
}

fn accept_queue_ui(ui: &mut egui::Ui, queued: u32, backlog: u32) {
    let lang = crate::ui::lang(ui.ctx());
    ui.label(t!(lang, "kernel-accept-queue"))
        .on_hover_text(t!(lang, "kernel-accept-queue-tip"));
    ui.vertical(|ui| {
        ui.horizontal_wrapped(|ui| {
            if backlog <= MAX_CELLS {
                accept_cells(ui, queued, backlog);
            } else {
                ui.add(ProgressBar::new(fraction(queued, Some(backlog))).desired_width(200.0));
            }
            ui.strong(t!(
                lang,
                "kernel-accept-count",
                queued = queued,
                backlog = backlog
            ));
        });
        if queued > backlog {
            ui.colored_label(
                theme::warn_color(ui.visuals()),
                t!(lang, "kernel-accept-full"),
            );
        } else if queued == backlog && backlog > 0 {
            ui.colored_label(
                theme::warn_color(ui.visuals()),
                t!(lang, "kernel-accept-at-backlog"),
            );
        } else if queued > 0 {
            ui.weak(t!(lang, "kernel-accept-waiting"));
        }
    });
    ui.end_row();
}

fn state_ui(ui: &mut egui::Ui, state: &str) {
    let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.6;
    ui.label(RichText::new(state).size(size).strong());
    let explanation = tcp_state_explanation(crate::ui::lang(ui.ctx()), state);
    if !explanation.is_empty() {
        ui.label(explanation);
    }
}

/// The gauges for one socket's latest snapshot.
pub fn kernel_gauges_ui(ui: &mut egui::Ui, view: &SocketView, now_us: u64) {
    gauges_ui(ui, view, now_us, false);
}

/// The gauges in little room (on the presenter stage): the TCP state on one line (its meaning
/// on hover), then the queues.
pub fn kernel_gauges_compact_ui(ui: &mut egui::Ui, view: &SocketView, now_us: u64) {
    gauges_ui(ui, view, now_us, true);
}

fn gauges_ui(ui: &mut egui::Ui, view: &SocketView, now_us: u64, compact: bool) {
    let lang = crate::ui::lang(ui.ctx());
    if view.closed {
        // A snapshot from before close would show a state (ESTABLISHED...) that is gone.
        ui.weak(if compact {
            t!(lang, "kernel-closed-short")
        } else {
            t!(lang, "kernel-closed")
        });
        return;
    }
    let Some((at_us, snapshot)) = view.kernel.as_deref() else {
        ui.weak(t!(lang, "kernel-no-snapshot"));
        return;
    };
    if !snapshot.available {
        ui.label(t!(lang, "kernel-not-available"));
        return;
    }
    let age_us = now_us.saturating_sub(*at_us);
    if compact {
        // Refreshed while on stage; its age is not the point there.
    } else if age_us > STALE_AFTER_US {
        ui.weak(t!(
            lang,
            "kernel-snapshot-old",
            seconds = format!("{:.1}", age_us as f64 / 1_000_000.0)
        ));
    }
    snapshot_ui(ui, lang, view, snapshot, compact);
}

/// A TCP state in which queues mean something: a connection exists, or is being set up or
/// taken down. (In CLOSE, after a refused connect say, the counters are leftovers.)
fn has_connection(tcp_state: Option<&str>) -> bool {
    tcp_state.is_none_or(|state| !matches!(state, "CLOSE" | "LISTEN"))
}

fn snapshot_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    view: &SocketView,
    snapshot: &KernelSnapshot,
    compact: bool,
) {
    let connection = has_connection(snapshot.tcp_state.as_deref());
    if let Some(state) = &snapshot.tcp_state {
        if compact {
            ui.label(RichText::new(state).strong())
                .on_hover_text(tcp_state_explanation(lang, state));
        } else {
            state_ui(ui, state);
        }
    }
    egui::Grid::new(("kernel gauges", view.id.0))
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            if let (Some(queued), Some(backlog)) = (snapshot.accept_queue, snapshot.backlog) {
                accept_queue_ui(ui, queued, backlog);
            }
            if let Some(rx) = snapshot.rx_queue
                && view.sock_type == crate::engine::SockType::Datagram
            {
                // FIONREAD on a datagram socket is the size of the next datagram only.
                ui.label(t!(lang, "kernel-next-datagram"))
                    .on_hover_text(t!(lang, "kernel-next-datagram-tip"));
                ui.label(bytes_text(u64::from(rx)));
                ui.end_row();
            } else if let Some(rx) = snapshot.rx_queue.filter(|_| connection) {
                ui.label(t!(lang, "kernel-receive-queue"))
                    .on_hover_text(t!(lang, "kernel-receive-queue-tip"));
                queue_gauge(ui, rx, snapshot.rcvbuf, "SO_RCVBUF");
                ui.end_row();
            }
            if let Some(tx) = snapshot.tx_queue.filter(|_| connection) {
                ui.label(t!(lang, "kernel-send-queue"))
                    .on_hover_text(t!(lang, "kernel-send-queue-tip"));
                queue_gauge(ui, tx, snapshot.sndbuf, "SO_SNDBUF");
                ui.end_row();
            }
            if let Some(unsent) = snapshot.unsent.filter(|unsent| connection && *unsent > 0) {
                ui.label(t!(lang, "kernel-not-yet-sent"))
                    .on_hover_text(t!(lang, "kernel-not-yet-sent-tip"));
                ui.label(format!("{unsent} B"));
                ui.end_row();
            }
            if snapshot.tcp_state.is_none()
                && let Some(used) = snapshot.rcvbuf_used
            {
                ui.label(t!(lang, "kernel-buffer-used"))
                    .on_hover_text(t!(lang, "kernel-buffer-used-tip"));
                queue_gauge(ui, used, snapshot.rcvbuf, "SO_RCVBUF");
                ui.end_row();
            }
            if let Some(drops) = snapshot.drops.filter(|drops| *drops > 0) {
                ui.label(t!(lang, "kernel-dropped"))
                    .on_hover_text(t!(lang, "kernel-dropped-tip"));
                ui.colored_label(
                    crate::ui::theme::warn_color(ui.visuals()),
                    t!(lang, "kernel-packets", count = drops),
                );
                ui.end_row();
            }
            if !connection
                && !compact
                && snapshot.tcp_state.is_some()
                && let (Some(rcvbuf), Some(sndbuf)) = (snapshot.rcvbuf, snapshot.sndbuf)
            {
                ui.label(t!(lang, "kernel-buffers"))
                    .on_hover_text(t!(lang, "kernel-buffers-tip"));
                ui.label(format!(
                    "SO_RCVBUF {} · SO_SNDBUF {}",
                    bytes_text(u64::from(rcvbuf)),
                    bytes_text(u64::from(sndbuf))
                ));
                ui.end_row();
            }
            if let Some(rtt) = snapshot
                .rtt_us
                .filter(|_| connection && view.state != Lifecycle::Listening)
            {
                ui.label("RTT").on_hover_text(t!(lang, "kernel-rtt-tip"));
                ui.label(duration_text(u64::from(rtt)));
                ui.end_row();
            }
        });
    if snapshot.tcp_state.is_none()
        && snapshot.rx_queue.is_none()
        && snapshot.tx_queue.is_none()
        && snapshot.accept_queue.is_none()
    {
        ui.weak(t!(lang, "kernel-told-nothing"));
    }
}
