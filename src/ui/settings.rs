//! The rest of a socket's inspector: its mode (blocking, non-blocking, timeout), its options
//! (set, and what getsockopt says the kernel applied), its automatic behaviour, and the
//! kernel's snapshot.

use super::calls::{error_label, labelled_field, parse_address_in};
use super::{Intent, theme};
use crate::engine::options::{OPTIONS, OptKind, OptionSpec};
use crate::engine::{
    AddrArg, Automation, Call, CallKind, Family, Flood, Mode, OptValue, Outcome, Responder,
    SockType, errno,
};
use crate::i18n::{Lang, outcome_words};
use crate::session::SocketView;
use crate::t;
use std::collections::HashMap;

/// What a person has set in one socket's mode, option and automation controls.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsForm {
    pub timeout_ms: String,
    pub option_values: HashMap<&'static str, String>,
    pub linger_on: bool,
    pub membership_group: String,
    pub membership_interface: String,
    pub automation: Automation,
    pub flood_rate: String,
    pub flood_chunk: String,
    pub flood_destination: String,
    pub flood_error: Option<String>,
}

impl SettingsForm {
    pub fn new(view: &SocketView) -> Self {
        let (group, interface) = match view.family {
            Family::Ipv6 => ("ff02::1:1", "0"),
            _ => ("224.1.1.1", "127.0.0.1"),
        };
        let destination = match view.family {
            Family::Ipv6 => "[::1]:9999",
            Family::Unix => "/tmp/socket-workbench-1.sock",
            Family::Ipv4 => "127.0.0.1:9999",
        };
        SettingsForm {
            timeout_ms: "2000".into(),
            option_values: HashMap::new(),
            linger_on: true,
            membership_group: group.into(),
            membership_interface: interface.into(),
            automation: Automation::default(),
            flood_rate: "0".into(),
            flood_chunk: crate::engine::command::DEFAULT_FLOOD_CHUNK.to_string(),
            flood_destination: destination.into(),
            flood_error: None,
        }
    }
}

/// Options that apply to this kind of socket.
pub fn options_for(
    family: Family,
    sock_type: SockType,
) -> impl Iterator<Item = &'static OptionSpec> {
    OPTIONS.iter().filter(move |spec| {
        let stream = sock_type == SockType::Stream;
        match spec.name {
            "TCP_NODELAY" => stream && family != Family::Unix,
            "SO_KEEPALIVE" | "SO_LINGER" => stream,
            "SO_BROADCAST" => !stream && family == Family::Ipv4,
            "IP_TTL" => family == Family::Ipv4,
            "IPV6_V6ONLY" => family == Family::Ipv6,
            "IP_MULTICAST_TTL" | "IP_MULTICAST_LOOP" | "IP_ADD_MEMBERSHIP"
            | "IP_DROP_MEMBERSHIP" => !stream && family == Family::Ipv4,
            "IPV6_MULTICAST_LOOP" | "IPV6_JOIN_GROUP" | "IPV6_LEAVE_GROUP" => {
                !stream && family == Family::Ipv6
            }
            "SO_REUSEPORT" => family != Family::Unix,
            _ => true,
        }
    })
}

/// Blocking / non-blocking / timeout, with the Python call each choice makes.
pub fn mode_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    form: &mut SettingsForm,
    intents: &mut Vec<Intent>,
) {
    let socket = view.id;
    let enabled = !view.closed;
    let lang = super::lang(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        ui.label(t!(lang, "settings-mode"));
        ui.strong(view.mode.label(lang));
    });
    ui.add_enabled_ui(enabled, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui
                .selectable_label(view.mode == Mode::Blocking, "setblocking(True)")
                .on_hover_text(CallKind::SetBlocking.tooltip(lang))
                .clicked()
            {
                intents.push(Intent::Call {
                    socket,
                    call: Call::SetBlocking(true),
                });
            }
            if ui
                .selectable_label(view.mode == Mode::NonBlocking, "setblocking(False)")
                .on_hover_text(CallKind::SetBlocking.tooltip(lang))
                .clicked()
            {
                intents.push(Intent::Call {
                    socket,
                    call: Call::SetBlocking(false),
                });
            }
            let parsed: Result<u64, String> = form
                .timeout_ms
                .trim()
                .parse()
                .map_err(|_| t!(lang, "settings-bad-timeout", text = form.timeout_ms.trim()));
            let is_timeout = matches!(view.mode, Mode::Timeout { .. });
            let clicked = ui
                .selectable_label(is_timeout, "settimeout(…)")
                .on_hover_text(CallKind::SetTimeout.tooltip(lang))
                .clicked();
            labelled_field(
                ui,
                &t!(lang, "settings-timeout-ms"),
                &mut form.timeout_ms,
                70.0,
            );
            match parsed {
                Ok(ms) if clicked => intents.push(Intent::Call {
                    socket,
                    call: Call::SetTimeout(Some(ms)),
                }),
                Err(message) => error_label(ui, &message),
                Ok(_) => {}
            }
        });
    });
}

/// What the latest getsockopt and setsockopt of this option did (the session keeps each
/// option's results apart).
fn option_result_ui(ui: &mut egui::Ui, view: &SocketView, name: &str) {
    let lang = super::lang(ui.ctx());
    for kind in [CallKind::GetSockOpt, CallKind::SetSockOpt] {
        let Some(last) = view.last_option_result(kind, name) else {
            continue;
        };
        let failed = |error: String| {
            if kind == CallKind::GetSockOpt {
                t!(lang, "settings-get-failed", error = error)
            } else {
                t!(lang, "settings-set-failed", error = error)
            }
        };
        match &last.outcome {
            Outcome::Ok(value) if kind == CallKind::GetSockOpt => {
                ui.colored_label(
                    theme::ok_color(ui.visuals()),
                    t!(lang, "settings-kernel-value", value = value.to_string()),
                );
            }
            Outcome::Ok(_) => {
                ui.weak(t!(lang, "settings-option-set-done"));
            }
            Outcome::Errno(code) => {
                error_label(
                    ui,
                    &failed(format!(
                        "{} — {}",
                        errno::name(*code),
                        errno::explanation_in(lang, *code)
                    )),
                );
            }
            other => {
                let words = outcome_words(lang, Some(other), last.call.name(), |value| {
                    value.to_string()
                });
                let error = match words.note {
                    Some(note) => format!("{} ({note})", words.result),
                    None => words.result,
                };
                error_label(ui, &failed(error));
            }
        }
    }
}

/// One row per option: value editor, set, get, and what the kernel applied.
pub fn options_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    form: &mut SettingsForm,
    intents: &mut Vec<Intent>,
) {
    let socket = view.id;
    let lang = super::lang(ui.ctx());
    ui.add_enabled_ui(!view.closed, |ui| {
        egui::Grid::new(("options", socket.0))
            .num_columns(4)
            .spacing([10.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                for spec in options_for(view.family, view.sock_type) {
                    ui.label(spec.name).on_hover_text(spec.description_in(lang));
                    let value = option_value_ui(ui, lang, spec, form);
                    ui.horizontal(|ui| {
                        let set = ui
                            .add_enabled(
                                value.is_ok() && spec.name != "SO_ERROR",
                                egui::Button::new(t!(lang, "settings-set")),
                            )
                            .on_hover_text(format!("setsockopt({}, {}, …)", spec.level, spec.name));
                        if set.clicked()
                            && let Ok(value) = &value
                        {
                            intents.push(Intent::Call {
                                socket,
                                call: Call::SetOpt {
                                    name: spec.name.to_string(),
                                    value: value.clone(),
                                },
                            });
                            if spec.readable {
                                // Read it straight back, so the applied value shows.
                                intents.push(Intent::Call {
                                    socket,
                                    call: Call::GetOpt {
                                        name: spec.name.to_string(),
                                    },
                                });
                            }
                        }
                        if spec.readable
                            && ui
                                .button(t!(lang, "settings-get"))
                                .on_hover_text(format!("getsockopt({}, {})", spec.level, spec.name))
                                .clicked()
                        {
                            intents.push(Intent::Call {
                                socket,
                                call: Call::GetOpt {
                                    name: spec.name.to_string(),
                                },
                            });
                        }
                    });
                    ui.horizontal_wrapped(|ui| {
                        if let Err(message) = &value {
                            error_label(ui, message);
                        }
                        option_result_ui(ui, view, spec.name);
                    });
                    ui.end_row();
                }
            });
    });
}

fn option_value_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    spec: &OptionSpec,
    form: &mut SettingsForm,
) -> Result<OptValue, String> {
    match spec.kind {
        OptKind::Bool => {
            let text = form
                .option_values
                .entry(spec.name)
                .or_insert_with(|| "1".into());
            let mut on = text.as_str() != "0";
            let label = if on {
                t!(lang, "settings-bool-on")
            } else {
                t!(lang, "settings-bool-off")
            };
            ui.checkbox(&mut on, label);
            *text = if on { "1".into() } else { "0".into() };
            Ok(OptValue::Int(i64::from(on)))
        }
        OptKind::Int => {
            let default = match spec.name {
                "SO_RCVBUF" | "SO_SNDBUF" => "4096",
                "IP_TTL" => "64",
                "IP_MULTICAST_TTL" => "1",
                _ => "0",
            };
            let text = form
                .option_values
                .entry(spec.name)
                .or_insert_with(|| default.into());
            if spec.name == "SO_ERROR" {
                ui.weak(t!(lang, "settings-read-only"));
                return Ok(OptValue::Int(0));
            }
            labelled_field(
                ui,
                &t!(lang, "settings-option-value", option = spec.name),
                text,
                80.0,
            );
            text.trim()
                .parse::<i64>()
                .map(OptValue::Int)
                .map_err(|_| t!(lang, "settings-bad-whole-number", text = text.trim()))
        }
        OptKind::Linger => {
            let text = form
                .option_values
                .entry(spec.name)
                .or_insert_with(|| "0".into());
            let mut result = Ok(OptValue::Linger(None));
            ui.horizontal(|ui| {
                ui.checkbox(&mut form.linger_on, t!(lang, "settings-linger-on"));
                labelled_field(ui, &t!(lang, "settings-linger-seconds"), text, 40.0);
                result = if form.linger_on {
                    text.trim()
                        .parse::<u32>()
                        .map(|secs| OptValue::Linger(Some(secs)))
                        .map_err(|_| t!(lang, "settings-bad-seconds", text = text.trim()))
                } else {
                    Ok(OptValue::Linger(None))
                };
            })
            .response
            .on_hover_text(t!(lang, "settings-linger-tip"));
            result
        }
        OptKind::Membership => {
            ui.horizontal(|ui| {
                labelled_field(
                    ui,
                    &t!(lang, "settings-group", option = spec.name),
                    &mut form.membership_group,
                    110.0,
                );
                labelled_field(
                    ui,
                    &t!(lang, "settings-interface", option = spec.name),
                    &mut form.membership_interface,
                    80.0,
                );
            });
            Ok(OptValue::Membership {
                group: form.membership_group.trim().to_string(),
                interface: form.membership_interface.trim().to_string(),
            })
        }
    }
}

/// Auto-accept, auto-receive, responders and the generator.
pub fn automation_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    form: &mut SettingsForm,
    rules: Option<&Result<std::sync::Arc<crate::messages::rules::RuleSet>, String>>,
    intents: &mut Vec<Intent>,
) {
    let before = form.automation.clone();
    let stream = view.sock_type == SockType::Stream;
    let lang = super::lang(ui.ctx());
    ui.add_enabled_ui(!view.closed, |ui| {
        ui.horizontal_wrapped(|ui| {
            if stream {
                ui.checkbox(
                    &mut form.automation.auto_accept,
                    t!(lang, "settings-auto-accept"),
                )
                .on_hover_text(t!(lang, "settings-auto-accept-tip"));
            }
            ui.checkbox(
                &mut form.automation.auto_receive,
                t!(lang, "settings-auto-receive"),
            )
            .on_hover_text(t!(lang, "settings-auto-receive-tip"));
            let label = ui.label(t!(lang, "settings-responder"));
            let none = t!(lang, "settings-responder-none");
            let selected = form
                .automation
                .responder
                .as_ref()
                .map_or(none.clone(), |responder| responder.label(lang));
            egui::ComboBox::from_id_salt(("responder", view.id.0))
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.automation.responder, None, none.as_str());
                    for responder in Responder::ALL {
                        let text = responder.label(lang);
                        ui.selectable_value(&mut form.automation.responder, Some(responder), text);
                    }
                    // The saved messages view's reply rules, once there are usable ones.
                    match rules {
                        Some(Ok(rules)) => {
                            let responder = Responder::Rules(std::sync::Arc::clone(rules));
                            let text = responder.label(lang);
                            ui.selectable_value(
                                &mut form.automation.responder,
                                Some(responder),
                                text,
                            );
                        }
                        Some(Err(why)) => {
                            ui.add_enabled(false, egui::Button::new(t!(lang, "rules-responder")))
                                .on_disabled_hover_text(why);
                        }
                        None => {}
                    }
                })
                .response
                .labelled_by(label.id)
                .on_hover_text(t!(lang, "settings-responder-tip"));
        });
        ui.horizontal_wrapped(|ui| {
            let running = form.automation.flood.is_some();
            labelled_field(
                ui,
                &t!(lang, "settings-flood-rate"),
                &mut form.flood_rate,
                90.0,
            );
            labelled_field(
                ui,
                &t!(lang, "settings-flood-chunk"),
                &mut form.flood_chunk,
                70.0,
            );
            let needs_destination = !stream && view.peer.is_none();
            if needs_destination {
                labelled_field(
                    ui,
                    &t!(lang, "settings-flood-to"),
                    &mut form.flood_destination,
                    150.0,
                );
            }
            if running {
                if ui.button(t!(lang, "settings-stop-flood")).clicked() {
                    form.automation.flood = None;
                }
            } else if ui
                .button(t!(lang, "settings-start-flood"))
                .on_hover_text(t!(lang, "settings-start-flood-tip"))
                .clicked()
            {
                match flood_from_form(lang, form, view.family, needs_destination) {
                    Ok(flood) => {
                        form.flood_error = None;
                        form.automation.flood = Some(flood);
                    }
                    Err(message) => form.flood_error = Some(message),
                }
            }
            if let Some(message) = &form.flood_error {
                error_label(ui, message);
            }
        });
    });
    if form.automation != before {
        intents.push(Intent::Automate {
            socket: view.id,
            automation: form.automation.clone(),
        });
    }
}

fn flood_from_form(
    lang: Lang,
    form: &SettingsForm,
    family: Family,
    needs_destination: bool,
) -> Result<Flood, String> {
    let bytes_per_sec: u64 = form
        .flood_rate
        .trim()
        .parse()
        .map_err(|_| t!(lang, "settings-bad-rate", text = form.flood_rate.trim()))?;
    let chunk_size: usize = form
        .flood_chunk
        .trim()
        .parse()
        .ok()
        .filter(|size| *size > 0)
        .ok_or_else(|| t!(lang, "settings-bad-chunk", text = form.flood_chunk.trim()))?;
    let destination: Option<AddrArg> = if needs_destination {
        Some(parse_address_in(lang, &form.flood_destination, family)?)
    } else {
        None
    };
    Ok(Flood {
        bytes_per_sec,
        destination,
        chunk_size,
        total_bytes: None,
    })
}

/// The kernel's view of the socket as gauges (queues, accept queue, TCP state, RTT), and a
/// button to take a snapshot now.
pub fn kernel_ui(ui: &mut egui::Ui, view: &SocketView, now_us: u64, intents: &mut Vec<Intent>) {
    let lang = super::lang(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                !view.closed,
                egui::Button::new(t!(lang, "settings-ask-kernel")),
            )
            .on_hover_text(t!(lang, "settings-ask-kernel-tip"))
            .clicked()
        {
            intents.push(Intent::Snapshot(view.id));
        }
        if let Some((at_us, _)) = view.kernel.as_deref() {
            let age_secs = now_us.saturating_sub(*at_us) as f64 / 1_000_000.0;
            ui.weak(t!(
                lang,
                "settings-taken-ago",
                seconds = format!("{age_secs:.1}")
            ));
        }
    });
    // Snapshots arrive several times a second; the gauges keep the place they once took.
    let slot = egui::Id::unique(("kernel gauges", view.id.0));
    super::steady_height(ui, slot, 0.0, |ui| {
        super::kernel_view::kernel_gauges_ui(ui, view, now_us);
    });
}
