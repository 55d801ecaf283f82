//! Reading a workspace file back: the script's setup actions become the sockets' setup, the
//! `[workspace]` table the rest. Keys this build does not know (a newer version wrote them)
//! are named, never silently dropped.

use super::{FORMAT_VERSION, SocketSetup, Target, Workspace};
use crate::engine::{Call, Mode};
use crate::i18n::Lang;
use crate::messages::{ReplyRule, SavedMessage};
use crate::script::{ActionKind, Script, ScriptError};
use crate::t;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A workspace read from its file.
#[derive(Clone, Debug)]
pub struct Read {
    pub workspace: Workspace,
    /// The file as a script (what `run` performs).
    pub script: Script,
    /// Keys this build does not know, as `workspace.message[2].colour`, and a newer format
    /// version: said to the person, the rest restored.
    pub unknown_keys: Vec<String>,
    /// The file's `[workspace] version` when it is newer than this build's.
    pub newer_version: Option<u32>,
    /// The file has a `[workspace]` table (else it is a plain script).
    pub is_workspace: bool,
}

#[derive(Deserialize)]
struct RawFile {
    workspace: Option<Spanned<RawTable>>,
}

#[derive(Deserialize)]
struct RawTable {
    version: Option<u32>,
    #[serde(default)]
    message: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    rule: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    composer: BTreeMap<String, toml::Table>,
    #[serde(default)]
    view: toml::Table,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

/// Reads a workspace file. A malformed one is refused with its line and column (in `lang`);
/// a file without a `[workspace]` table is a plain script whose setup is still read.
pub fn read(lang: Lang, text: &str) -> Result<Read, ScriptError> {
    let script = crate::script::parse_in(lang, text)?;
    let raw: RawFile = toml::from_str(text).map_err(|error| table_error(lang, text, &error))?;
    let mut workspace = setup_of(&script);
    workspace.title = script
        .title
        .en
        .clone()
        .or(script.title.zh.clone())
        .unwrap_or_default();
    let mut unknown_keys = Vec::new();
    let mut newer_version = None;
    let is_workspace = raw.workspace.is_some();
    if let Some(table) = raw.workspace {
        let table = table.into_inner();
        let version = table.version.unwrap_or(FORMAT_VERSION);
        if version > FORMAT_VERSION {
            newer_version = Some(version);
        }
        unknown_keys.extend(table.unknown.keys().map(|key| format!("workspace.{key}")));
        let entries = Entries {
            lang,
            text,
            unknown_keys: &mut unknown_keys,
        };
        let (messages, entries) = entries.read::<SavedMessage>("message", table.message)?;
        workspace.messages = messages;
        workspace.rules = entries.read::<ReplyRule>("rule", table.rule)?.0;
        workspace.composers = table.composer;
        workspace.view = table.view;
    }
    Ok(Read {
        workspace,
        script,
        unknown_keys,
        newer_version,
        is_workspace,
    })
}

/// An entry of a `[[workspace.NAME]]` list, and the keys this build knows in it.
pub(super) trait Entry {
    const KEYS: &'static [&'static str];
}

impl Entry for SavedMessage {
    const KEYS: &'static [&'static str] = &[
        "name",
        "body",
        "format",
        "encoding",
        "call",
        "destination",
        "transport",
        "repeat_every_ms",
    ];
}

impl Entry for ReplyRule {
    const KEYS: &'static [&'static str] = &["match", "pattern", "format", "reply"];
}

/// Reads `[[workspace.NAME]]` entries one by one, so a bad value is said with its entry, its
/// key and its line, and a key this build does not know is named.
struct Entries<'a> {
    lang: Lang,
    text: &'a str,
    unknown_keys: &'a mut Vec<String>,
}

impl<'a> Entries<'a> {
    fn read<T>(
        self,
        what: &str,
        tables: Vec<Spanned<toml::Table>>,
    ) -> Result<(Vec<T>, Entries<'a>), ScriptError>
    where
        T: serde::de::DeserializeOwned + Entry,
    {
        let known: Vec<String> = T::KEYS.iter().map(|key| key.to_string()).collect();
        let mut entries = Vec::with_capacity(tables.len());
        for (index, table) in tables.into_iter().enumerate() {
            let start = table.span().start;
            let table = table.into_inner();
            for key in table.keys().filter(|key| !known.contains(key)) {
                self.unknown_keys
                    .push(format!("workspace.{what}[{}].{key}", index + 1));
            }
            let (known_part, _): (toml::Table, toml::Table) =
                table.into_iter().partition(|(key, _)| known.contains(key));
            match T::deserialize(toml::Value::Table(known_part.clone())) {
                Ok(entry) => entries.push(entry),
                Err(error) => {
                    return Err(self.entry_error::<T>(what, index, start, &known_part, &error));
                }
            }
        }
        Ok((entries, self))
    }

    /// Which key of the entry is wrong (each alone is tried), and its line.
    fn entry_error<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        index: usize,
        start: usize,
        table: &toml::Table,
        error: &toml::de::Error,
    ) -> ScriptError {
        let key = table
            .iter()
            .find(|(key, value)| {
                let alone: toml::Table =
                    std::iter::once(((*key).clone(), (*value).clone())).collect();
                T::deserialize(toml::Value::Table(alone)).is_err()
            })
            .map(|(key, _)| key.as_str());
        let (line, column) = key
            .and_then(|key| key_position(self.text, start, key))
            .unwrap_or_else(|| line_col(self.text, start));
        let entry = match key {
            Some(key) => format!("workspace.{what}[{}].{key}", index + 1),
            None => format!("workspace.{what}[{}]", index + 1),
        };
        ScriptError {
            line,
            column,
            message: t!(
                self.lang,
                "workspace-entry-malformed",
                entry = entry,
                message = error.message().to_string()
            ),
        }
    }
}

/// Where `key = ...` is written in the entry whose header starts at byte `start` (before
/// the next header).
fn key_position(text: &str, start: usize, key: &str) -> Option<(usize, usize)> {
    let mut offset = start;
    for (number, line) in text.get(start..)?.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if number > 0 && trimmed.starts_with('[') {
            return None;
        }
        if number > 0
            && let Some(after) = trimmed.strip_prefix(key)
            && after.trim_start().starts_with('=')
        {
            return Some(line_col(text, offset + (line.len() - trimmed.len())));
        }
        offset += line.len();
    }
    None
}

fn table_error(lang: Lang, text: &str, error: &toml::de::Error) -> ScriptError {
    let (line, column) = error
        .span()
        .map_or((1, 1), |span| line_col(text, span.start));
    ScriptError {
        line,
        column,
        message: t!(
            lang,
            "workspace-table-malformed",
            message = error.message().to_string()
        ),
    }
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = text.get(..byte).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The sockets' setup from the script's actions; anything else is kept as written.
fn setup_of(script: &Script) -> Workspace {
    let mut workspace = Workspace::default();
    for action in script.steps.iter().flat_map(|step| &step.actions) {
        let taken = action.expect.is_empty() && take_setup(&mut workspace.sockets, &action.kind);
        if !taken {
            workspace.other_actions.push(action.text.clone());
        }
    }
    workspace
}

/// Applies one action to the setup; false when it is not setup (it is kept as written).
fn take_setup(sockets: &mut Vec<SocketSetup>, kind: &ActionKind) -> bool {
    match kind {
        ActionKind::Create {
            name,
            family,
            sock_type,
        } => {
            // A name made again is a new socket (as in Python): the old one leaves the setup.
            sockets.retain(|socket| &socket.name != name);
            sockets.push(SocketSetup::new(name.clone(), *family, *sock_type));
            true
        }
        ActionKind::Call {
            socket,
            call,
            background: false,
            targets,
        } if targets.is_empty() => {
            let Some(setup) = sockets.iter_mut().find(|setup| &setup.name == socket) else {
                return false;
            };
            take_call(
                setup,
                &call.call,
                call.addr_from.as_deref(),
                call.data_from.is_some(),
            )
        }
        ActionKind::Auto {
            socket,
            automation,
            flood_to,
        } => {
            let Some(setup) = sockets.iter_mut().find(|setup| &setup.name == socket) else {
                return false;
            };
            setup.automation = automation.clone();
            setup.flood_to = flood_to.clone();
            true
        }
        _ => false,
    }
}

fn take_call(
    setup: &mut SocketSetup,
    call: &Call,
    addr_from: Option<&str>,
    has_data_from: bool,
) -> bool {
    if has_data_from {
        return false;
    }
    match (call, addr_from) {
        (Call::SetOpt { name, value }, None) => setup.options.push((name.clone(), value.clone())),
        (Call::Bind(address), None) => setup.bind = Some(address.clone()),
        (Call::Listen { backlog }, None) => setup.listen = Some(*backlog),
        (Call::Connect(address), None) => setup.connect = Some(Target::Address(address.clone())),
        (Call::Connect(_), Some(name)) => setup.connect = Some(Target::Socket(name.to_string())),
        (Call::SetBlocking(true) | Call::SetTimeout(None), None) => setup.mode = Mode::Blocking,
        (Call::SetBlocking(false) | Call::SetTimeout(Some(0)), None) => {
            setup.mode = Mode::NonBlocking
        }
        (Call::SetTimeout(Some(ms)), None) => setup.mode = Mode::Timeout { timeout_ms: *ms },
        _ => return false,
    }
    true
}
