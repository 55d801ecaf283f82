//! Saved messages in the window (PRODUCT part 15): a list kept with the workspace, each a
//! named body (text with escapes, or hex) with placeholders; one click sends it to a socket
//! with send, sendall or sendto as the composer does; Ctrl+1 … Ctrl+9 send the first nine to
//! the selected socket; the Saved messages view renames, reorders, duplicates, deletes,
//! imports (the workbench's own export, or Packet Sender's packets.ini / JSON) and exports.

use super::{Composer, Intent};
use crate::codec::{TextEncoding, terminal_safe, to_hex};
use crate::engine::command::bytes_literal;
use crate::engine::{AddrArg, Call, SocketAddress};
use crate::i18n::Lang;
use crate::messages::rules::RuleSet;
use crate::messages::template::{self, Context, SplitMix64};
use crate::messages::{BodyFormat, MatchKind, ReplyRule, SavedMessage, SendCall, packet_sender};
use crate::session::SocketView;
use crate::t;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The first this many messages have a key (Ctrl+1 … Ctrl+9).
const KEYED: usize = 9;

/// A preview shows at most this many bytes.
const PREVIEW_BYTES: usize = 48;

/// The saved messages and what the window keeps beside them.
pub(super) struct SavedMessages {
    list: Vec<SavedMessage>,
    /// The reply rules: data that matches is answered with a saved message.
    rules: Vec<ReplyRule>,
    /// How many times each was sent (`${counter}`), beside `list`.
    counters: Vec<u64>,
    random: SplitMix64,
    /// The import / export file, as typed.
    file: String,
    /// What the last send, import or export said: (is an error, text).
    status: Option<(bool, String)>,
}

impl Default for SavedMessages {
    fn default() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as u64);
        SavedMessages {
            list: Vec::new(),
            rules: Vec::new(),
            counters: Vec::new(),
            random: SplitMix64::new(seed),
            file: String::new(),
            status: None,
        }
    }
}

/// The workbench's own export: `[[message]]` entries.
#[derive(Serialize, Deserialize)]
struct Exported {
    #[serde(default)]
    message: Vec<SavedMessage>,
}

/// The address as the composer's destination field writes it (`127.0.0.1:5000`).
fn address_text(address: &SocketAddress) -> String {
    address.field_text()
}

impl SavedMessages {
    pub(super) fn list(&self) -> &[SavedMessage] {
        &self.list
    }

    /// Replaces the list (a workspace opened); the counters start again.
    pub(super) fn set(&mut self, list: Vec<SavedMessage>) {
        self.counters = vec![0; list.len()];
        self.list = list;
    }

    pub(super) fn rules(&self) -> &[ReplyRule] {
        &self.rules
    }

    pub(super) fn set_rules(&mut self, rules: Vec<ReplyRule>) {
        self.rules = rules;
    }

    /// The rules as a socket answers by them, or why they cannot be used.
    pub(super) fn compile_rules(&self, lang: Lang) -> Result<Arc<RuleSet>, String> {
        if self.rules.is_empty() {
            return Err(t!(lang, "rules-none-yet"));
        }
        RuleSet::compile(&self.rules, &self.list)
            .map(Arc::new)
            .map_err(|error| error.text(lang))
    }

    pub(super) fn push(&mut self, message: SavedMessage) {
        self.list.push(message);
        self.counters.push(0);
    }

    /// The bytes message `index` would send from `view` now (placeholders expanded, the
    /// counter as it is): what the person sees before sending.
    fn expand(&mut self, index: usize, view: &SocketView, lang: Lang) -> Result<Vec<u8>, String> {
        let message = self
            .list
            .get(index)
            .ok_or_else(|| t!(lang, "messages-none"))?;
        let template = template::parse_message(message).map_err(|error| error.text(lang))?;
        let local = view.local.as_ref().map(address_text);
        let peer = view.peer.as_ref().map(address_text);
        let random = &mut self.random;
        let mut fill = |out: &mut [u8]| random.fill(out);
        let mut context = Context {
            counter: self.counters.get(index).copied().unwrap_or(0),
            now: chrono::Local::now(),
            local: local.as_deref(),
            peer: peer.as_deref(),
            random: &mut fill,
        };
        template
            .expand(&mut context)
            .map_err(|error| error.text(lang))
    }

    /// The call that sends message `index` from `view`, as the composer would (sendto goes
    /// to the message's destination, else the composer's); its counter advances.
    pub(super) fn call_for(
        &mut self,
        index: usize,
        view: &SocketView,
        composer: Option<&Composer>,
        lang: Lang,
    ) -> Result<Call, String> {
        let data = self.expand(index, view, lang)?;
        let message = &self.list[index];
        let call = match message.call {
            SendCall::Send => Call::Send { data },
            SendCall::SendAll => Call::SendAll { data },
            SendCall::SendTo => {
                let addr = if message.destination.trim().is_empty() {
                    match composer {
                        Some(composer) => composer.destination_addr(lang)?,
                        None => return Err(t!(lang, "composer-no-destination")),
                    }
                } else {
                    AddrArg::parse_text(lang, &message.destination, view.family)?
                };
                Call::SendTo { data, addr }
            }
        };
        if let Some(counter) = self.counters.get_mut(index) {
            *counter += 1;
        }
        Ok(call)
    }

    /// Sends message `index` from `view`: the call goes to `intents`, or the reason it
    /// cannot into the status line.
    fn send(
        &mut self,
        index: usize,
        view: &SocketView,
        composer: Option<&Composer>,
        lang: Lang,
        intents: &mut Vec<Intent>,
    ) {
        match self.call_for(index, view, composer, lang) {
            Ok(call) => {
                intents.push(Intent::Call {
                    socket: view.id,
                    call,
                });
                self.status = None;
            }
            Err(error) => {
                let name = self
                    .list
                    .get(index)
                    .map(|m| m.name.clone())
                    .unwrap_or_default();
                self.status = Some((
                    true,
                    t!(
                        lang,
                        "messages-not-sent",
                        name = terminal_safe(&name),
                        error = error
                    ),
                ));
            }
        }
    }

    /// Ctrl+1 … Ctrl+9: that message to the selected socket.
    pub(super) fn shortcuts(
        &mut self,
        ctx: &egui::Context,
        view: Option<&SocketView>,
        composer: Option<&Composer>,
        intents: &mut Vec<Intent>,
    ) {
        const KEYS: [egui::Key; KEYED] = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
            egui::Key::Num7,
            egui::Key::Num8,
            egui::Key::Num9,
        ];
        let Some(view) = view else { return };
        let lang = super::lang(ctx);
        for (index, key) in KEYS.into_iter().enumerate().take(self.list.len()) {
            if ctx.input_mut(|input| input.consume_key(egui::Modifiers::COMMAND, key)) {
                self.send(index, view, composer, lang, intents);
            }
        }
    }

    /// The row of saved messages in a socket's inspector: one button each.
    pub(super) fn strip_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &SocketView,
        composer: Option<&Composer>,
        intents: &mut Vec<Intent>,
    ) {
        if self.list.is_empty() {
            return;
        }
        let lang = super::lang(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            ui.label(t!(lang, "messages-strip"));
            for index in 0..self.list.len() {
                let name = terminal_safe(&self.list[index].name);
                let preview = self.preview_text(index, view, lang);
                let key = (index < KEYED).then(|| format!("Ctrl+{}", index + 1));
                let tip = match key {
                    Some(key) => format!("{preview}\n{key}"),
                    None => preview,
                };
                if ui.button(&name).on_hover_text(tip).clicked() {
                    self.send(index, view, composer, lang, intents);
                }
            }
        });
        self.status_ui(ui);
    }

    /// What message `index` would send, shortly: `12 B: b'...'`, or why it cannot.
    fn preview_text(&mut self, index: usize, view: &SocketView, lang: Lang) -> String {
        // The preview must not use up the random source's sequence nor a counter.
        let saved_random = self.random.0;
        let result = self.expand(index, view, lang);
        self.random.0 = saved_random;
        match result {
            Ok(bytes) => {
                let shown = &bytes[..bytes.len().min(PREVIEW_BYTES)];
                let more = if bytes.len() > PREVIEW_BYTES {
                    " …"
                } else {
                    ""
                };
                // As it was written: hex for a hex message, a bytes literal for text.
                let written = match self.list[index].format {
                    BodyFormat::Hex => to_hex(shown),
                    BodyFormat::Text => bytes_literal(shown),
                };
                t!(
                    lang,
                    "messages-preview",
                    size = bytes.len().to_string(),
                    bytes = format!("{written}{more}")
                )
            }
            Err(error) => error,
        }
    }

    fn status_ui(&self, ui: &mut egui::Ui) {
        if let Some((is_error, text)) = &self.status {
            if *is_error {
                ui.colored_label(ui.visuals().error_fg_color, text);
            } else {
                ui.label(text);
            }
        }
    }

    /// The Saved messages view: each message's fields, Send to the selected socket, and the
    /// list's own tools.
    pub(super) fn view_ui(
        &mut self,
        ui: &mut egui::Ui,
        selected: Option<&SocketView>,
        composer: Option<&Composer>,
        intents: &mut Vec<Intent>,
    ) -> bool {
        let lang = super::lang(ui.ctx());
        ui.horizontal(|ui| {
            if ui.button(t!(lang, "messages-new")).clicked() {
                let name = t!(
                    lang,
                    "messages-new-name",
                    number = (self.list.len() + 1).to_string()
                );
                self.push(SavedMessage {
                    name,
                    ..SavedMessage::default()
                });
            }
            match selected {
                Some(view) => ui.label(t!(
                    lang,
                    "messages-send-to",
                    name = terminal_safe(&view.name)
                )),
                None => ui.label(t!(lang, "messages-select-a-socket")),
            };
        });
        self.status_ui(ui);
        ui.separator();
        let mut action = None;
        egui::ScrollArea::vertical()
            .id_salt("saved_messages")
            .auto_shrink([false, true])
            .max_height((ui.available_height() - 160.0).max(120.0))
            .show(ui, |ui| {
                for index in 0..self.list.len() {
                    ui.push_id(("saved message", index), |ui| {
                        if let Some(chosen) = self.row_ui(ui, index, selected, lang) {
                            action = Some((index, chosen));
                        }
                    });
                    ui.separator();
                }
            });
        if let Some((index, action)) = action {
            self.act(index, action, selected, composer, lang, intents);
        }
        self.file_ui(ui, lang);
        ui.separator();
        self.rules_ui(ui, lang)
    }

    /// The reply rules: one row each (how it matches, the pattern, the reply); true when
    /// Apply was pressed (the sockets answering by rules take the rules as they are now).
    fn rules_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> bool {
        let mut apply = false;
        ui.horizontal(|ui| {
            ui.strong(t!(lang, "rules-heading"));
            if ui.button(t!(lang, "rules-new")).clicked() {
                self.rules.push(ReplyRule {
                    reply: self
                        .list
                        .first()
                        .map(|m| m.name.clone())
                        .unwrap_or_default(),
                    ..ReplyRule::default()
                });
            }
            apply = ui
                .button(t!(lang, "rules-apply"))
                .on_hover_text(t!(lang, "rules-apply-tip"))
                .clicked();
        });
        let names: Vec<String> = self
            .list
            .iter()
            .map(|message| message.name.clone())
            .collect();
        let mut remove = None;
        for (index, rule) in self.rules.iter_mut().enumerate() {
            ui.push_id(("rule", index), |ui| {
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label(crate::messages::rules::rule_label(lang, index + 1));
                    egui::ComboBox::from_id_salt("match")
                        .selected_text(match_kind_label(lang, rule.kind))
                        .show_ui(ui, |ui| {
                            for kind in [
                                MatchKind::Exact,
                                MatchKind::Prefix,
                                MatchKind::Contains,
                                MatchKind::Regex,
                            ] {
                                ui.selectable_value(
                                    &mut rule.kind,
                                    kind,
                                    match_kind_label(lang, kind),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    let label = ui.label(t!(lang, "rules-pattern"));
                    ui.add(
                        egui::TextEdit::singleline(&mut rule.pattern)
                            .font(egui::TextStyle::Monospace)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                    ui.selectable_value(
                        &mut rule.format,
                        BodyFormat::Text,
                        t!(lang, "composer-mode-text"),
                    );
                    ui.selectable_value(
                        &mut rule.format,
                        BodyFormat::Hex,
                        t!(lang, "composer-mode-hex"),
                    );
                    let label = ui.label(t!(lang, "rules-reply"));
                    egui::ComboBox::from_id_salt("reply")
                        .selected_text(terminal_safe(&rule.reply))
                        .show_ui(ui, |ui| {
                            for name in &names {
                                ui.selectable_value(
                                    &mut rule.reply,
                                    name.clone(),
                                    terminal_safe(name),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if ui.button(t!(lang, "messages-delete")).clicked() {
                        remove = Some(index);
                    }
                });
            });
        }
        if let Some(index) = remove {
            self.rules.remove(index);
        }
        if let Err(error) = self.compile_rules(lang)
            && !self.rules.is_empty()
        {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        apply
    }

    fn act(
        &mut self,
        index: usize,
        action: RowAction,
        selected: Option<&SocketView>,
        composer: Option<&Composer>,
        lang: Lang,
        intents: &mut Vec<Intent>,
    ) {
        match action {
            RowAction::Send => {
                if let Some(view) = selected {
                    self.send(index, view, composer, lang, intents);
                }
            }
            RowAction::Up if index > 0 => {
                self.list.swap(index, index - 1);
                self.counters.swap(index, index - 1);
            }
            RowAction::Down if index + 1 < self.list.len() => {
                self.list.swap(index, index + 1);
                self.counters.swap(index, index + 1);
            }
            RowAction::Duplicate => {
                let mut copy = self.list[index].clone();
                copy.name = t!(lang, "messages-copy-name", name = copy.name);
                self.list.insert(index + 1, copy);
                self.counters.insert(index + 1, 0);
            }
            RowAction::Delete => {
                self.list.remove(index);
                self.counters.remove(index);
            }
            RowAction::Up | RowAction::Down => {}
        }
    }

    /// One message's row: its name, body, format, call and destination as fields; Send,
    /// move, duplicate, delete; and what it would send now.
    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        index: usize,
        selected: Option<&SocketView>,
        lang: Lang,
    ) -> Option<RowAction> {
        let mut action = None;
        let count = self.list.len();
        ui.horizontal(|ui| {
            let key = if index < KEYED {
                format!("Ctrl+{}", index + 1)
            } else {
                String::new()
            };
            ui.monospace(format!("{:>6}", key));
            let message = &mut self.list[index];
            let label = ui.label(t!(lang, "messages-name"));
            ui.add(egui::TextEdit::singleline(&mut message.name).desired_width(160.0))
                .labelled_by(label.id);
            let send = ui
                .add_enabled(
                    selected.is_some(),
                    egui::Button::new(t!(lang, "messages-send")),
                )
                .on_hover_text(t!(lang, "messages-send-tip"));
            if send.clicked() {
                action = Some(RowAction::Send);
            }
            if ui
                .add_enabled(index > 0, egui::Button::new(t!(lang, "messages-up")))
                .clicked()
            {
                action = Some(RowAction::Up);
            }
            if ui
                .add_enabled(
                    index + 1 < count,
                    egui::Button::new(t!(lang, "messages-down")),
                )
                .clicked()
            {
                action = Some(RowAction::Down);
            }
            if ui.button(t!(lang, "messages-duplicate")).clicked() {
                action = Some(RowAction::Duplicate);
            }
            if ui.button(t!(lang, "messages-delete")).clicked() {
                action = Some(RowAction::Delete);
            }
        });
        self.fields_ui(ui, index, lang);
        if let Some(view) = selected {
            let preview = self.preview_text(index, view, lang);
            ui.label(egui::RichText::new(preview).weak());
        }
        action
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, index: usize, lang: Lang) {
        let message = &mut self.list[index];
        ui.horizontal(|ui| {
            let label = ui.label(t!(lang, "messages-body"));
            ui.add(
                egui::TextEdit::singleline(&mut message.body)
                    .font(egui::TextStyle::Monospace)
                    .desired_width(360.0),
            )
            .labelled_by(label.id)
            .on_hover_text(t!(lang, "messages-body-tip"));
            ui.selectable_value(
                &mut message.format,
                BodyFormat::Text,
                t!(lang, "composer-mode-text"),
            );
            ui.selectable_value(
                &mut message.format,
                BodyFormat::Hex,
                t!(lang, "composer-mode-hex"),
            );
            if message.format == BodyFormat::Text {
                let label = ui.label(t!(lang, "composer-encoding"));
                egui::ComboBox::from_id_salt("encoding")
                    .selected_text(message.encoding.label())
                    .show_ui(ui, |ui| {
                        for encoding in TextEncoding::ALL {
                            ui.selectable_value(&mut message.encoding, encoding, encoding.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
        });
        ui.horizontal(|ui| {
            for (call, text) in [
                (SendCall::Send, "send()"),
                (SendCall::SendAll, "sendall()"),
                (SendCall::SendTo, "sendto()"),
            ] {
                ui.selectable_value(&mut message.call, call, text);
            }
            if message.call == SendCall::SendTo {
                let label = ui.label(t!(lang, "messages-destination"));
                ui.add(egui::TextEdit::singleline(&mut message.destination).desired_width(180.0))
                    .labelled_by(label.id)
                    .on_hover_text(t!(lang, "messages-destination-tip"));
            }
        });
    }

    /// Import and export, through a typed path.
    fn file_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            let label = ui.label(t!(lang, "messages-file"));
            ui.add(egui::TextEdit::singleline(&mut self.file).desired_width(260.0))
                .labelled_by(label.id);
            if ui
                .button(t!(lang, "messages-import"))
                .on_hover_text(t!(lang, "messages-import-tip"))
                .clicked()
            {
                self.status = Some(match self.import(lang) {
                    Ok(said) => (false, said),
                    Err(error) => (true, error),
                });
            }
            if ui.button(t!(lang, "messages-export")).clicked() {
                self.status = Some(match self.export(lang) {
                    Ok(said) => (false, said),
                    Err(error) => (true, error),
                });
            }
        });
    }

    /// Adds the messages of the file: the workbench's own export, or Packet Sender's saved
    /// packets. What was skipped is said.
    pub(super) fn import(&mut self, lang: Lang) -> Result<String, String> {
        let path = std::path::Path::new(self.file.trim());
        let shown = path.display().to_string();
        let text = crate::script::read_text_in(lang, path)?;
        if let Ok(exported) = toml::from_str::<Exported>(&text)
            && !exported.message.is_empty()
        {
            let count = exported.message.len();
            for message in exported.message {
                self.push(message);
            }
            return Ok(t!(
                lang,
                "messages-imported",
                count = count.to_string(),
                file = shown
            ));
        }
        let imported = packet_sender::import(&text).map_err(|error| error.render(&shown, lang))?;
        let mut said = imported.summary(lang);
        for skipped in imported.skipped.iter().take(5) {
            said.push_str("\n  ");
            said.push_str(&skipped.text(lang));
        }
        for message in imported.messages {
            self.push(message);
        }
        Ok(said)
    }

    /// Writes the list to the file (as `[[message]]` entries, which Import reads back).
    pub(super) fn export(&self, lang: Lang) -> Result<String, String> {
        let path = std::path::Path::new(self.file.trim());
        let shown = path.display().to_string();
        let text = toml::to_string(&Exported {
            message: self.list.clone(),
        })
        .map_err(|error| error.to_string())?;
        std::fs::write(path, text).map_err(|error| {
            t!(
                lang,
                "messages-export-failed",
                file = shown.as_str(),
                error = error.to_string()
            )
        })?;
        Ok(t!(
            lang,
            "messages-exported",
            count = self.list.len().to_string(),
            file = shown
        ))
    }

    /// The file Import and Export use (tests and a file dialog set it).
    pub(super) fn set_file(&mut self, path: &str) {
        self.file = path.to_string();
    }
}

/// What a row's buttons ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowAction {
    Send,
    Up,
    Down,
    Duplicate,
    Delete,
}

/// `exact`, `starts with`, `contains`, `regular expression`, in `lang`.
fn match_kind_label(lang: Lang, kind: MatchKind) -> String {
    match kind {
        MatchKind::Exact => t!(lang, "rules-match-exact"),
        MatchKind::Prefix => t!(lang, "rules-match-prefix"),
        MatchKind::Contains => t!(lang, "rules-match-contains"),
        MatchKind::Regex => t!(lang, "rules-match-regex"),
    }
}
