//! From TOML text to a [`Script`]: the TOML layer (with spans, so every error has a file line
//! and column), then one small recursive-descent parser per action string.

use super::lex::{LexError, Tok, Token, lex};
use super::{
    Action, ActionKind, ActionRef, AddrRef, CallSpec, Check, CmpOp, DEFAULT_TIMEOUT_MS,
    Expectation, FieldValue, PortCheck, Script, ScriptError, StageView, Step,
};
use crate::engine::options::{self, OptKind};
use crate::engine::{
    AddrArg, Automation, Call, CallKind, Family, Flood, OptValue, RecvFlags, Responder,
    ShutdownHow, SockType, errno,
};
use crate::i18n::{Lang, LocalText};
use crate::messages::rules::RuleSet;
use crate::messages::{ReplyRule, SavedMessage};
use crate::t;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use toml::Spanned;

/// The largest bytes value a script may build (`b'x' * n`) or receive at once.
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// All the bytes a script's actions hold once parsed (data to send, data expected), together.
const MAX_SCRIPT_BYTES: usize = 128 * 1024 * 1024;

/// The bytes an action holds: data to send and data it expects back.
fn data_len(action: &Action) -> usize {
    let sent = match &action.kind {
        ActionKind::Call { call, .. } => match &call.call {
            Call::Send { data } | Call::SendAll { data } | Call::SendTo { data, .. } => data.len(),
            _ => 0,
        },
        _ => 0,
    };
    let expected: usize = action
        .expect
        .iter()
        .map(|expectation| match &expectation.check {
            Check::Data(data) => data.len(),
            _ => 0,
        })
        .sum();
    sent.saturating_add(expected)
}

/// What an action may call on a socket, for "did you mean": every socket call, and the
/// script's own actions.
const METHODS: [&str; CallKind::ALL.len() + 3] = {
    let mut all = [""; CallKind::ALL.len() + 3];
    let mut index = 0;
    while index < CallKind::ALL.len() {
        all[index] = CallKind::ALL[index].name();
        index += 1;
    }
    all[index] = "cancel";
    all[index + 1] = "auto";
    all[index + 2] = "kernel";
    all
};
/// Fields of [`crate::engine::kernel::KernelSnapshot`] that `kernel() => ...` may test.
pub(crate) const KERNEL_FIELDS: &[&str] = &[
    "available",
    "rx_queue",
    "tx_queue",
    "unsent",
    "drops",
    "rcvbuf_used",
    "rcvbuf",
    "sndbuf",
    "tcp_state",
    "rtt_us",
    "accept_queue",
    "backlog",
];

/// What `system(ADDR) => ...` may count: all rows, or the rows in one TCP state.
/// What `wire(A, B) => ...` counts among the segments between A and B (both directions) since
/// the step began.
pub(crate) const WIRE_FIELDS: &[&str] = &[
    "segments",
    "syn",
    "syn_ack",
    "fin",
    "rst",
    "data",
    "bytes",
    "zero_window",
    "udp",
    "port_unreachable",
];

pub(crate) const SYSTEM_FIELDS: &[&str] = &[
    "rows",
    "listen",
    "established",
    "syn_sent",
    "syn_recv",
    "fin_wait1",
    "fin_wait2",
    "time_wait",
    "close",
    "close_wait",
    "last_ack",
    "closing",
];

const FAMILIES: &[(&str, Family)] = &[
    ("AF_INET", Family::Ipv4),
    ("AF_INET6", Family::Ipv6),
    ("AF_UNIX", Family::Unix),
];
const TYPES: &[(&str, SockType)] = &[
    ("SOCK_STREAM", SockType::Stream),
    ("SOCK_DGRAM", SockType::Datagram),
];
const LEVELS: &[&str] = &[
    "SOL_SOCKET",
    "IPPROTO_TCP",
    "IPPROTO_UDP",
    "IPPROTO_IP",
    "IPPROTO_IPV6",
];
const MSG_FLAGS: &[&str] = &["MSG_PEEK", "MSG_WAITALL", "MSG_DONTWAIT"];
const SHUT: &[(&str, ShutdownHow)] = &[
    ("SHUT_RD", ShutdownHow::Read),
    ("SHUT_WR", ShutdownHow::Write),
    ("SHUT_RDWR", ShutdownHow::Both),
];

// ---------------------------------------------------------------------------------------------
// The TOML layer

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScript {
    title: Option<RawText>,
    intro: Option<RawText>,
    timeout_ms: Option<Spanned<i64>>,
    show: Option<Vec<String>>,
    stage: Option<Vec<Spanned<String>>>,
    own_network: Option<bool>,
    step: Option<Vec<Spanned<RawStep>>>,
    /// A workspace's messages, rules, composers and view: read by `crate::workspace`; the
    /// script reads only the rules and messages, for `respond='rules'`.
    workspace: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    say: Option<RawText>,
    #[serde(rename = "do")]
    actions: Vec<Spanned<String>>,
    stage: Option<Vec<Spanned<String>>>,
    key: Option<bool>,
}

/// What the TOML layer says when prose is neither (the `expecting` below, word for word), so
/// it can be said in the reader's language.
const RAW_TEXT_EXPECTING: &str =
    "a string, or `en` and `zh` strings (say.en = \"…\", say.zh = \"…\")";

/// Prose in one language (`say = "…"`, its language told by its script) or in both
/// (`say.en = "…"` and `say.zh = "…"`).
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a string, or `en` and `zh` strings (say.en = \"…\", say.zh = \"…\")"
)]
enum RawText {
    One(String),
    Languages(RawLanguages),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguages {
    en: Option<String>,
    zh: Option<String>,
}

impl From<RawText> for LocalText {
    fn from(raw: RawText) -> LocalText {
        match raw {
            RawText::One(text) => LocalText::guessed(text),
            RawText::Languages(RawLanguages { en, zh }) => LocalText { en, zh },
        }
    }
}

/// Byte offset -> (line, column), both 1-based, the column counted in characters.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { text, starts }
    }

    fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text.len());
        let line = self.starts.partition_point(|start| *start <= byte);
        let start = self.starts[line.saturating_sub(1)];
        let column = self
            .text
            .get(start..byte)
            .map_or(1, |before| before.chars().count() + 1);
        (line.max(1), column)
    }
}

/// Maps each character of a TOML string's value back to the byte offset in the file where it
/// was written (escapes included), so errors point at the right column.
struct PosMap {
    /// Byte offset in the file of value character i; one extra entry for the end.
    offsets: Vec<usize>,
}

impl PosMap {
    fn new(raw: &str, value: &str, base: usize) -> PosMap {
        let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        let fallback_start = base + quotes.min(raw.len());
        match decode_toml_string(raw) {
            Some(decoded) if decoded.iter().map(|(c, _)| *c).eq(value.chars()) => {
                let mut offsets: Vec<usize> =
                    decoded.iter().map(|(_, offset)| base + offset).collect();
                offsets.push(base + raw.len().saturating_sub(quotes));
                PosMap { offsets }
            }
            _ => PosMap {
                offsets: vec![fallback_start; value.chars().count() + 1],
            },
        }
    }

    fn byte(&self, pos: usize) -> usize {
        let last = self.offsets.len().saturating_sub(1);
        self.offsets.get(pos.min(last)).copied().unwrap_or(0)
    }
}

/// Decodes a TOML string token as written (quotes included), keeping for each character the
/// byte offset (within `raw`) where it came from. None if the token is not a plain string.
fn decode_toml_string(raw: &str) -> Option<Vec<(char, usize)>> {
    let (open, literal) = if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with("\"\"\"") {
        ("\"\"\"", false)
    } else if raw.starts_with('\'') {
        ("'", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else {
        return None;
    };
    let body_end = raw.len().checked_sub(open.len())?;
    if body_end < open.len() || !raw.ends_with(open) {
        return None;
    }
    let mut chars: Vec<(usize, char)> = raw[open.len()..body_end]
        .char_indices()
        .map(|(at, c)| (at + open.len(), c))
        .collect();
    // A newline right after the opening delimiter of a multi-line string is trimmed.
    if open.len() == 3 {
        if chars.first().map(|(_, c)| *c) == Some('\n') {
            chars.remove(0);
        } else if chars.first().map(|(_, c)| *c) == Some('\r')
            && chars.get(1).map(|(_, c)| *c) == Some('\n')
        {
            chars.drain(0..2);
        }
    }
    if literal {
        return Some(chars.into_iter().map(|(at, c)| (c, at)).collect());
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c != '\\' {
            out.push((c, at));
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).map(|(_, c)| *c)?;
        let simple = match next {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(value) = simple {
            out.push((value, at));
            i += 2;
            continue;
        }
        let width = match next {
            'x' => Some(2),
            'u' => Some(4),
            'U' => Some(8),
            _ => None,
        };
        if let Some(width) = width {
            let hex: String = chars
                .iter()
                .skip(i + 2)
                .take(width)
                .map(|(_, c)| c)
                .collect();
            let value = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            out.push((value, at));
            i += 2 + width;
            continue;
        }
        if next.is_whitespace() {
            // Line-ending backslash: skip all whitespace and newlines.
            i += 1;
            while i < chars.len() && chars[i].1.is_whitespace() {
                i += 1;
            }
            continue;
        }
        return None;
    }
    Some(out)
}

/// A TOML error: the TOML library's own words (English), with what the script format allows
/// in `lang`.
fn toml_error(lang: Lang, error: &toml::de::Error, lines: &LineIndex) -> ScriptError {
    let (line, column) = error
        .span()
        .map_or((1, 1), |span| lines.line_col(span.start));
    let found = error.message().trim();
    let message = if found == RAW_TEXT_EXPECTING {
        t!(lang, "parse-text-expected")
    } else if found.contains("unknown field") {
        t!(lang, "parse-toml-unknown-field", message = found)
    } else {
        t!(lang, "parse-toml", message = found)
    };
    ScriptError {
        line,
        column,
        message,
    }
}

/// Parses a script. Every error says where (1-based line and column in `text`) and what, in
/// English; [`parse_in`] says it in another language.
pub fn parse(text: &str) -> Result<Script, ScriptError> {
    parse_in(Lang::En, text)
}

/// Parses a script; an error says where (1-based line and column in `text`) and, in `lang`,
/// what. Call names, keywords, constants and Python literals stay as written.
pub fn parse_in(lang: Lang, text: &str) -> Result<Script, ScriptError> {
    let lines = LineIndex::new(text);
    let raw: RawScript = toml::from_str(text).map_err(|error| toml_error(lang, &error, &lines))?;
    let timeout_ms = match &raw.timeout_ms {
        None => DEFAULT_TIMEOUT_MS,
        Some(value) => {
            let (line, column) = lines.line_col(value.span().start);
            match u64::try_from(*value.get_ref()) {
                Ok(ms) if ms > 0 => ms,
                _ => {
                    return Err(ScriptError {
                        line,
                        column,
                        message: t!(
                            lang,
                            "parse-timeout-not-positive",
                            value = value.get_ref().to_string()
                        ),
                    });
                }
            }
        }
    };
    let raw_steps = raw.step.unwrap_or_default();
    if raw_steps.is_empty() {
        return Err(ScriptError {
            line: 1,
            column: 1,
            message: t!(lang, "parse-no-steps"),
        });
    }
    let mut env = Env {
        rules: workspace_rules(lang, raw.workspace.as_ref()),
        ..Env::default()
    };
    let mut steps = Vec::new();
    for (step_index, raw_step) in raw_steps.into_iter().enumerate() {
        let step_line = lines.line_col(raw_step.span().start).0;
        let raw_step = raw_step.into_inner();
        let mut actions = Vec::new();
        for (index, raw_action) in raw_step.actions.into_iter().enumerate() {
            let span = raw_action.span();
            let raw_token = text.get(span.clone()).unwrap_or("");
            let value = raw_action.into_inner();
            let map = PosMap::new(raw_token, &value, span.start);
            let at = |pos: usize| lines.line_col(map.byte(pos));
            let here = ActionRef {
                step: step_index,
                index,
            };
            let action = parse_action(lang, &value, &mut env, here, &at).map_err(|error| {
                let (line, column) = at(error.pos);
                ScriptError {
                    line,
                    column,
                    message: error.message,
                }
            })?;
            // Each value is bounded (MAX_BYTES); so is the whole script, or a small file of
            // `b'x' * 67108864` lines would hold gigabytes once parsed.
            env.data_bytes = env.data_bytes.saturating_add(data_len(&action));
            if env.data_bytes > MAX_SCRIPT_BYTES {
                let (line, column) = (action.line, action.column);
                return Err(ScriptError {
                    line,
                    column,
                    message: t!(
                        lang,
                        "parse-script-bytes-over-limit",
                        limit = MAX_SCRIPT_BYTES.to_string()
                    ),
                });
            }
            actions.push(action);
        }
        let stage = parse_stage(lang, raw_step.stage.unwrap_or_default(), &env, &lines)?;
        steps.push(Step {
            say: raw_step.say.map(LocalText::from),
            line: step_line,
            actions,
            stage,
            key: raw_step.key.unwrap_or(false),
        });
    }
    // The script's own stage may name any socket the script makes (a step before it exists
    // simply does not show that view).
    let stage = parse_stage(lang, raw.stage.unwrap_or_default(), &env, &lines)?;
    Ok(Script {
        title: raw.title.map(LocalText::from).unwrap_or_default(),
        intro: raw.intro.map(LocalText::from),
        show: raw.show.unwrap_or_default(),
        stage,
        own_network: raw.own_network.unwrap_or(false),
        timeout_ms,
        steps,
    })
}

/// The reply rules of the file's `[workspace]` table (`[[workspace.rule]]`, answering with
/// `[[workspace.message]]`s), compiled. Only these two lists are read here; the workspace
/// module reads the whole table and says where a malformed entry is.
fn workspace_rules(
    lang: Lang,
    workspace: Option<&toml::Value>,
) -> Option<Result<Arc<RuleSet>, String>> {
    let table = workspace?.as_table()?;
    let rules: Vec<ReplyRule> = match workspace_entries(lang, table, "rule") {
        Ok(rules) if rules.is_empty() => return None,
        Ok(rules) => rules,
        Err(message) => return Some(Err(message)),
    };
    let compiled = workspace_entries::<SavedMessage>(lang, table, "message").and_then(|messages| {
        RuleSet::compile(&rules, &messages)
            .map(Arc::new)
            .map_err(|error| error.text(lang))
    });
    Some(compiled)
}

/// The `[[workspace.WHAT]]` entries; what is wrong with one, with its place.
fn workspace_entries<T: serde::de::DeserializeOwned>(
    lang: Lang,
    table: &toml::Table,
    what: &str,
) -> Result<Vec<T>, String> {
    let Some(value) = table.get(what) else {
        return Ok(Vec::new());
    };
    let malformed = |entry: String, error: toml::de::Error| {
        t!(
            lang,
            "workspace-entry-malformed",
            entry = entry,
            message = error.message().to_string()
        )
    };
    let items: Vec<toml::Value> = value
        .clone()
        .try_into()
        .map_err(|error| malformed(format!("workspace.{what}"), error))?;
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            item.try_into()
                .map_err(|error| malformed(format!("workspace.{what}[{}]", index + 1), error))
        })
        .collect()
}

/// `stage = ["timeline a b", "kernel a", "received a", "system", "python", "calls"]`; every
/// socket named must be one the script has made by then.
fn parse_stage(
    lang: Lang,
    raw: Vec<Spanned<String>>,
    env: &Env,
    lines: &LineIndex,
) -> Result<Vec<StageView>, ScriptError> {
    let mut views = Vec::new();
    for item in raw {
        let (line, column) = lines.line_col(item.span().start);
        let fail = |message: String| ScriptError {
            line,
            column,
            message,
        };
        let mut words = item.get_ref().split_whitespace();
        let view_name = words.next().unwrap_or("");
        let names: Vec<String> = words.map(str::to_string).collect();
        for name in &names {
            if env.kind(name) != Some(NameKind::Socket) {
                let mut known = env.names_of(NameKind::Socket);
                known.sort_unstable();
                return Err(fail(t!(
                    lang,
                    "parse-stage-not-a-socket",
                    name = name.as_str(),
                    sockets = known.join(", ")
                )));
            }
        }
        let one = |names: Vec<String>| -> Result<String, ScriptError> {
            match <[String; 1]>::try_from(names) {
                Ok([name]) => Ok(name),
                Err(_) => Err(fail(t!(lang, "parse-stage-one-socket", view = view_name))),
            }
        };
        let none = |names: &[String], view: StageView| -> Result<StageView, ScriptError> {
            if names.is_empty() {
                Ok(view)
            } else {
                Err(fail(t!(lang, "parse-stage-no-names", view = view_name)))
            }
        };
        views.push(match view_name {
            "timeline" => StageView::Timeline(names),
            "kernel" => StageView::Kernel(one(names)?),
            "received" => StageView::Received(one(names)?),
            "system" => none(&names, StageView::System)?,
            "python" => none(&names, StageView::Python)?,
            "calls" => none(&names, StageView::Calls)?,
            "wire" => none(&names, StageView::Wire)?,
            other => {
                return Err(fail(t!(lang, "parse-stage-unknown-view", view = other)));
            }
        });
    }
    Ok(views)
}

// ---------------------------------------------------------------------------------------------
// Names known while parsing (so a typo is caught before anything runs)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameKind {
    Socket,
    Bytes,
    Addr,
}

impl NameKind {
    fn label(self, lang: Lang) -> String {
        match self {
            NameKind::Socket => t!(lang, "parse-kind-socket"),
            NameKind::Bytes => t!(lang, "parse-kind-bytes"),
            NameKind::Addr => t!(lang, "parse-kind-address"),
        }
    }
}

struct Background {
    at: ActionRef,
    socket: String,
    call: CallKind,
    targets: Vec<String>,
    awaited: bool,
}

#[derive(Default)]
struct Env {
    /// Bytes held by the actions parsed so far (see MAX_SCRIPT_BYTES).
    data_bytes: usize,
    names: HashMap<String, NameKind>,
    background: Vec<Background>,
    /// The file's reply rules, compiled once for every `respond='rules'` (None: it has none;
    /// an error: they cannot be used, said where they are asked for).
    rules: Option<Result<Arc<RuleSet>, String>>,
}

impl Env {
    fn kind(&self, name: &str) -> Option<NameKind> {
        if let Some(kind) = self.names.get(name) {
            return Some(*kind);
        }
        // Connections accepted automatically are named LISTENER_connN.
        if let Some((listener, n)) = name.rsplit_once("_conn")
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && self.names.get(listener) == Some(&NameKind::Socket)
        {
            return Some(NameKind::Socket);
        }
        None
    }

    fn define(&mut self, name: &str, kind: NameKind) {
        if name != "_" {
            self.names.insert(name.to_string(), kind);
        }
    }

    fn names_of(&self, kind: NameKind) -> Vec<&str> {
        self.names
            .iter()
            .filter(|(_, k)| **k == kind)
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// One action

#[derive(Debug)]
struct PErr {
    pos: usize,
    message: String,
}

impl From<LexError> for PErr {
    fn from(error: LexError) -> Self {
        PErr {
            pos: error.pos,
            message: error.message,
        }
    }
}

fn err<T>(pos: usize, message: impl Into<String>) -> Result<T, PErr> {
    Err(PErr {
        pos,
        message: message.into(),
    })
}

/// A parsed value with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
struct PV {
    v: V,
    pos: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum V {
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Bool(bool),
    None,
    Tuple(Vec<PV>),
    /// An identifier, dotted path allowed, `socket.` prefix removed.
    Name(String),
    /// `A | B | C`
    Or(Vec<PV>),
    /// `struct.pack(...)`, `linger(0)`, `membership(...)`
    Func {
        name: String,
        args: Vec<Arg>,
    },
}

impl V {
    /// How the value reads in an error message (in Chinese, always led by a word, so it can
    /// follow one without a space).
    fn describe(&self, lang: Lang) -> String {
        match self {
            V::Int(value) => t!(lang, "parse-value-integer", value = value.to_string()),
            V::Float(value) => t!(lang, "parse-value-number", value = value.to_string()),
            V::Str(text) => t!(lang, "lex-token-string", text = text.as_str()),
            V::Bytes(_) => t!(lang, "parse-value-bytes"),
            V::Bool(flag) => t!(
                lang,
                "parse-value-bool",
                value = if *flag { "True" } else { "False" }
            ),
            V::None => t!(lang, "parse-value-none"),
            V::Tuple(_) => t!(lang, "parse-value-tuple"),
            V::Name(name) => t!(lang, "lex-token-name", name = name.as_str()),
            V::Or(_) => t!(lang, "parse-value-flags"),
            V::Func { name, .. } => t!(lang, "parse-value-call", name = name.as_str()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Arg {
    keyword: Option<String>,
    value: PV,
}

fn is_constant_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn all_constants() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    names.extend(FAMILIES.iter().map(|(name, _)| *name));
    names.extend(TYPES.iter().map(|(name, _)| *name));
    names.extend(LEVELS.iter().copied());
    names.extend(MSG_FLAGS.iter().copied());
    names.extend(SHUT.iter().map(|(name, _)| *name));
    names.extend(options::OPTIONS.iter().map(|spec| spec.name));
    names
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

/// The closest candidate, if it is close enough to be a likely typo.
pub(crate) fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    // The distance takes time in the product of the lengths: a typo is in a short word, and
    // a file may hold a name of a megabyte.
    const LONGEST: usize = 64;
    let length = word.chars().count();
    if length > LONGEST {
        return None;
    }
    let limit = if length <= 4 { 1 } else { 2 };
    candidates
        .iter()
        .filter(|candidate| candidate.len() <= LONGEST * 4)
        .map(|candidate| (distance(word, candidate), *candidate))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// ` (did you mean recv?)` after a word, or nothing.
fn did_you_mean(lang: Lang, word: &str, candidates: &[&str]) -> String {
    suggest(word, candidates).map_or(String::new(), |best| {
        t!(lang, "parse-did-you-mean", name = best)
    })
}

struct P<'a> {
    /// The language errors are worded in.
    lang: Lang,
    text: &'a str,
    toks: Vec<Token>,
    i: usize,
    env: &'a mut Env,
    here: ActionRef,
    /// How deeply values are nested right now (parentheses, calls, unary minus).
    depth: usize,
}

/// Values nest at most this deep: `((((1))))` is fine, a hostile file cannot exhaust the
/// stack.
const MAX_NESTING: usize = 32;

fn parse_action(
    lang: Lang,
    text: &str,
    env: &mut Env,
    here: ActionRef,
    at: &dyn Fn(usize) -> (usize, usize),
) -> Result<Action, PErr> {
    let toks = lex(lang, text)?;
    let mut parser = P {
        lang,
        text,
        toks,
        i: 0,
        env,
        here,
        depth: 0,
    };
    let (kind, raw_expect) = parser.action()?;
    let first = text
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(0, |(byte, _)| text[..byte].chars().count());
    let (line, column) = at(first);
    let expect = raw_expect
        .into_iter()
        .map(|(check, pos, end)| {
            let (line, column) = at(pos);
            Expectation {
                line,
                column,
                text: text.chars().skip(pos).take(end - pos).collect(),
                check,
            }
        })
        .collect();
    Ok(Action {
        line,
        column,
        text: text.to_string(),
        kind,
        expect,
    })
}

type RawExpect = (Check, usize, usize);

impl P<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.tok)
    }
    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.i + k).map(|t| &t.tok)
    }
    /// Position of the current token (or the end of the text).
    fn pos(&self) -> usize {
        self.toks
            .get(self.i)
            .map_or_else(|| self.text.chars().count(), |t| t.pos)
    }
    /// Position just after the previous token.
    fn prev_end(&self) -> usize {
        self.i
            .checked_sub(1)
            .and_then(|k| self.toks.get(k))
            .map_or(0, |t| t.end)
    }
    fn next(&mut self) -> Option<Token> {
        let token = self.toks.get(self.i).cloned();
        if token.is_some() {
            self.i += 1;
        }
        token
    }
    fn at_end(&self) -> bool {
        self.i >= self.toks.len()
    }
    fn is_punct(&self, punct: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(p)) if *p == punct)
    }
    fn eat_punct(&mut self, punct: &str) -> bool {
        if self.is_punct(punct) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// The current token as an error message names it.
    fn found(&self) -> String {
        self.peek().map_or_else(
            || t!(self.lang, "parse-end-of-action"),
            |tok| tok.describe(self.lang),
        )
    }
    /// `expected WHAT, found FOUND`.
    fn expected(&self, what: &str, found: &str) -> String {
        t!(self.lang, "parse-expected", what = what, found = found)
    }
    /// `after WHAT`, the place an expected token belongs (WHAT as written).
    fn after(&self, what: &str) -> String {
        t!(self.lang, "parse-after", what = what)
    }
    /// The punctuation `punct`; `context` says where it belongs (`after os.unlink`).
    fn expect_punct(&mut self, punct: &str, context: &str) -> Result<usize, PErr> {
        let pos = self.pos();
        if self.eat_punct(punct) {
            Ok(pos)
        } else {
            err(
                pos,
                t!(
                    self.lang,
                    "parse-expected-punct",
                    punct = punct,
                    context = context,
                    found = self.found()
                ),
            )
        }
    }
    /// A name; `what` says which (`a socket name`).
    fn expect_ident(&mut self, what: &str) -> Result<(String, usize), PErr> {
        let pos = self.pos();
        match self.peek() {
            Some(Tok::Ident(name)) => {
                let name = name.clone();
                self.i += 1;
                Ok((name, pos))
            }
            _ => err(pos, self.expected(what, &self.found())),
        }
    }
    /// The end of the action; `after` says what came last (`the duration`).
    fn expect_end(&self, after: &str) -> Result<(), PErr> {
        if self.at_end() {
            Ok(())
        } else {
            err(
                self.pos(),
                t!(
                    self.lang,
                    "parse-unexpected-after",
                    found = self.found(),
                    after = after
                ),
            )
        }
    }

    // -----------------------------------------------------------------------------------------

    fn action(&mut self) -> Result<(ActionKind, Vec<RawExpect>), PErr> {
        if self.at_end() {
            return err(0, t!(self.lang, "parse-empty-action"));
        }
        if let Some(Tok::Ident(word)) = self.peek() {
            let word = word.clone();
            let word_pos = self.pos();
            match word.as_str() {
                "sleep" => {
                    self.i += 1;
                    let Some(us) = self.duration_us()? else {
                        return err(self.pos(), t!(self.lang, "parse-sleep-needs-duration"));
                    };
                    self.expect_end(&t!(self.lang, "parse-after-duration"))?;
                    return Ok((ActionKind::Sleep { ms: us / 1000 }, Vec::new()));
                }
                "stay" => {
                    self.i += 1;
                    let ms = self.duration_us()?.map(|us| us / 1000);
                    self.expect_end(&t!(self.lang, "parse-after-duration"))?;
                    return Ok((ActionKind::Stay { ms }, Vec::new()));
                }
                "await" => {
                    self.i += 1;
                    return self.await_action(word_pos);
                }
                "wire" if matches!(self.peek_at(1), Some(Tok::Ident(w)) if w == "on" || w == "off") =>
                {
                    let on = matches!(self.peek_at(1), Some(Tok::Ident(w)) if w == "on");
                    self.i += 2;
                    self.expect_end(&t!(self.lang, "parse-after-wire-on-off"))?;
                    return Ok((ActionKind::Wire { on }, Vec::new()));
                }
                "wire" if matches!(self.peek_at(1), Some(Tok::Punct("("))) => {
                    self.i += 2;
                    let args = self.args()?;
                    let mut names = Vec::new();
                    for arg in &args {
                        let V::Name(name) = &arg.value.v else {
                            return err(arg.value.pos, t!(self.lang, "parse-wire-takes-names"));
                        };
                        self.socket_name(name, arg.value.pos)?;
                        names.push(name.clone());
                    }
                    if names.is_empty() || names.len() > 2 {
                        return err(word_pos, t!(self.lang, "parse-wire-one-or-two"));
                    }
                    let expect = self.count_expectations("wire", WIRE_FIELDS)?;
                    return Ok((ActionKind::WireCheck { sockets: names }, expect));
                }
                "system" if matches!(self.peek_at(1), Some(Tok::Punct("("))) => {
                    self.i += 2;
                    let args = self.args()?;
                    let [arg] = args.as_slice() else {
                        return err(word_pos, t!(self.lang, "parse-system-one-address"));
                    };
                    let addr = self.addr(&arg.value)?;
                    let kind = ActionKind::System { addr };
                    let expect = self.count_expectations("system", SYSTEM_FIELDS)?;
                    return Ok((kind, expect));
                }
                "os" if matches!(self.peek_at(1), Some(Tok::Punct(".")))
                    && matches!(self.peek_at(2), Some(Tok::Ident(w)) if w == "unlink") =>
                {
                    self.i += 3;
                    self.expect_punct("(", &self.after("os.unlink"))?;
                    let args = self.args()?;
                    let path = match args.as_slice() {
                        [arg] => match &arg.value.v {
                            V::Str(path) if path.starts_with('/') || path.starts_with('.') => {
                                path.clone()
                            }
                            _ => {
                                return err(arg.value.pos, t!(self.lang, "parse-unlink-path"));
                            }
                        },
                        _ => return err(word_pos, t!(self.lang, "parse-unlink-one-path")),
                    };
                    let kind = ActionKind::Unlink { path };
                    let expect = self.maybe_expectations(&kind)?;
                    return Ok((kind, expect));
                }
                _ => {}
            }
        }
        let background = self.eat_punct("&");
        let targets = self.targets()?;
        let (name, name_pos) = self.expect_ident(&t!(self.lang, "parse-want-socket-name"))?;
        if name == "socket" && (self.is_punct("(") || self.is_punct(".")) {
            if self.eat_punct(".") {
                let (inner, inner_pos) =
                    self.expect_ident(&t!(self.lang, "parse-want-code", code = "socket"))?;
                if inner != "socket" {
                    return err(inner_pos, t!(self.lang, "parse-expected-socket-socket"));
                }
            }
            return self.create(background, targets, name_pos);
        }
        if self.is_punct("(") {
            let hint = if METHODS.contains(&name.as_str()) {
                t!(self.lang, "parse-call-needs-socket", call = name.as_str())
            } else {
                t!(self.lang, "parse-not-a-call", name = name.as_str())
            };
            return err(name_pos, hint);
        }
        self.socket_name(&name, name_pos)?;
        self.expect_punct(
            ".",
            &t!(self.lang, "parse-after-socket-name", name = name.as_str()),
        )?;
        let (method, method_pos) = self.expect_ident(&t!(self.lang, "parse-want-call-name"))?;
        if !METHODS.contains(&method.as_str()) {
            return err(method_pos, self.unknown_call(&method, &METHODS));
        }
        self.expect_punct("(", &self.after(&method))?;
        let args = self.args()?;
        let kind = match method.as_str() {
            "cancel" | "kernel" | "auto" => {
                if background {
                    return err(
                        0,
                        t!(self.lang, "parse-no-background", call = method.as_str()),
                    );
                }
                if let Some(first) = targets.first() {
                    return err(
                        first.1,
                        t!(
                            self.lang,
                            "parse-no-value-to-assign",
                            call = method.as_str()
                        ),
                    );
                }
                match method.as_str() {
                    "cancel" => {
                        self.no_args(&args, "cancel")?;
                        ActionKind::Cancel { socket: name }
                    }
                    "kernel" => {
                        self.no_args(&args, "kernel")?;
                        ActionKind::Kernel { socket: name }
                    }
                    _ => {
                        let (automation, flood_to) = self.automation(&args)?;
                        ActionKind::Auto {
                            socket: name,
                            automation,
                            flood_to,
                        }
                    }
                }
            }
            _ => {
                let call = self.call(&method, method_pos, &args)?;
                let call_kind = call.call.kind();
                self.assign(call_kind, &targets)?;
                let target_names: Vec<String> = targets.iter().map(|(n, _)| n.clone()).collect();
                if background {
                    self.env.background.push(Background {
                        at: self.here,
                        socket: name.clone(),
                        call: call_kind,
                        targets: target_names.clone(),
                        awaited: false,
                    });
                }
                ActionKind::Call {
                    socket: name,
                    call,
                    background,
                    targets: target_names,
                }
            }
        };
        let expect = self.maybe_expectations(&kind)?;
        Ok((kind, expect))
    }

    fn no_args(&self, args: &[Arg], method: &str) -> Result<(), PErr> {
        match args.first() {
            None => Ok(()),
            Some(arg) => err(
                arg.value.pos,
                t!(self.lang, "parse-takes-no-arguments", call = method),
            ),
        }
    }

    /// `a =`, `a, b =` before a call.
    fn targets(&mut self) -> Result<Vec<(String, usize)>, PErr> {
        // Look ahead: Ident (, Ident)* '=' ?
        let mut k = 0;
        loop {
            match self.peek_at(k) {
                Some(Tok::Ident(_)) => {}
                _ => return Ok(Vec::new()),
            }
            match self.peek_at(k + 1) {
                Some(Tok::Punct(",")) => k += 2,
                Some(Tok::Punct("=")) => break,
                _ => return Ok(Vec::new()),
            }
        }
        let mut targets = Vec::new();
        loop {
            let (name, pos) = self.expect_ident(&t!(self.lang, "parse-want-name"))?;
            if name == "socket" {
                return err(pos, t!(self.lang, "parse-name-socket"));
            }
            if is_constant_name(&name) && name != "_" {
                return err(
                    pos,
                    t!(self.lang, "parse-name-constant", name = name.as_str()),
                );
            }
            if METHODS.contains(&name.as_str())
                || ["sleep", "stay", "await"].contains(&name.as_str())
            {
                return err(
                    pos,
                    t!(self.lang, "parse-name-is-call", name = name.as_str()),
                );
            }
            targets.push((name, pos));
            if self.eat_punct("=") {
                break;
            }
            self.expect_punct(",", &t!(self.lang, "parse-between-names"))?;
        }
        Ok(targets)
    }

    /// `unknown call 'recvv' (did you mean recv?)`.
    fn unknown_call(&self, call: &str, candidates: &[&str]) -> String {
        t!(
            self.lang,
            "parse-unknown-call",
            call = call,
            hint = did_you_mean(self.lang, call, candidates)
        )
    }

    fn socket_name(&self, name: &str, pos: usize) -> Result<(), PErr> {
        match self.env.kind(name) {
            Some(NameKind::Socket) => Ok(()),
            Some(kind) => err(
                pos,
                t!(
                    self.lang,
                    "parse-name-not-socket",
                    name = name,
                    kind = kind.label(self.lang)
                ),
            ),
            None => {
                let sockets = self.env.names_of(NameKind::Socket);
                let hint = did_you_mean(self.lang, name, &sockets);
                let hint = if hint.is_empty() && sockets.is_empty() {
                    t!(self.lang, "parse-create-it-first", name = name)
                } else {
                    hint
                };
                err(pos, self.no_such_socket(name, &hint))
            }
        }
    }

    /// `no socket named 'clinet' (did you mean client?)`.
    fn no_such_socket(&self, name: &str, hint: &str) -> String {
        t!(self.lang, "parse-no-such-socket", name = name, hint = hint)
    }

    fn create(
        &mut self,
        background: bool,
        targets: Vec<(String, usize)>,
        pos: usize,
    ) -> Result<(ActionKind, Vec<RawExpect>), PErr> {
        if background {
            return err(0, t!(self.lang, "parse-socket-no-background"));
        }
        self.expect_punct("(", &self.after("socket"))?;
        let args = self.args()?;
        let name = match targets.as_slice() {
            [(name, _)] if name != "_" => name.clone(),
            [] => {
                return err(pos, t!(self.lang, "parse-socket-needs-name"));
            }
            [(_, at), ..] => {
                return err(*at, t!(self.lang, "parse-socket-makes-one"));
            }
        };
        let mut family = Family::Ipv4;
        let mut sock_type = SockType::Stream;
        for (index, arg) in args.iter().enumerate() {
            let slot = match arg.keyword.as_deref() {
                None => index,
                Some("family") => 0,
                Some("type") => 1,
                Some("proto") => 2,
                Some(other) => {
                    return err(
                        arg.value.pos,
                        t!(self.lang, "parse-socket-no-such-argument", name = other),
                    );
                }
            };
            match slot {
                0 => {
                    family =
                        self.constant_of(&arg.value, FAMILIES, &t!(self.lang, "parse-want-family"))?
                }
                1 => {
                    sock_type =
                        self.constant_of(&arg.value, TYPES, &t!(self.lang, "parse-want-type"))?
                }
                2 => {
                    if arg.value.v != V::Int(0) {
                        return err(arg.value.pos, t!(self.lang, "parse-only-protocol-0"));
                    }
                }
                _ => {
                    return err(
                        arg.value.pos,
                        t!(self.lang, "parse-socket-too-many-arguments"),
                    );
                }
            }
        }
        self.env.define(&name, NameKind::Socket);
        let kind = ActionKind::Create {
            name,
            family,
            sock_type,
        };
        let expect = self.maybe_expectations(&kind)?;
        Ok((kind, expect))
    }

    fn await_action(&mut self, await_pos: usize) -> Result<(ActionKind, Vec<RawExpect>), PErr> {
        let (name, name_pos) = self.expect_ident(&t!(self.lang, "parse-want-await-name"))?;
        let call = if self.eat_punct(".") {
            let (call, call_pos) = self.expect_ident(&t!(self.lang, "parse-want-await-call"))?;
            if !METHODS.contains(&call.as_str()) {
                return err(call_pos, self.unknown_call(&call, &METHODS));
            }
            // `await server.accept()` reads naturally too.
            if self.eat_punct("(") {
                self.expect_punct(")", &self.after("await NAME.CALL("))?;
            }
            Some(call)
        } else {
            None
        };
        let wanted = call.as_deref().map(CallKind::from_name);
        let found = self.env.background.iter_mut().find(|entry| {
            !entry.awaited
                && (entry.socket == name || entry.targets.contains(&name))
                && wanted.is_none_or(|kind| kind == Some(entry.call))
        });
        let Some(entry) = found else {
            let lang = self.lang;
            let message = if self.env.kind(&name).is_none() {
                let hint = did_you_mean(lang, &name, &self.env.names_of(NameKind::Socket));
                self.no_such_socket(&name, &hint)
            } else {
                match call.as_deref() {
                    Some(call) => t!(
                        lang,
                        "parse-nothing-to-await-call",
                        name = name.as_str(),
                        call = call
                    ),
                    None => t!(
                        lang,
                        "parse-nothing-to-await",
                        name = name.as_str(),
                        call = "recv"
                    ),
                }
            };
            return err(
                if self.env.kind(&name).is_none() {
                    name_pos
                } else {
                    await_pos
                },
                message,
            );
        };
        entry.awaited = true;
        let target = entry.at;
        let socket = entry.socket.clone();
        let kind = ActionKind::Await {
            socket,
            call: Some(entry.call),
            target,
        };
        let expect = self.maybe_expectations(&kind)?;
        Ok((kind, expect))
    }

    /// Defines the names a call assigns.
    fn assign(&mut self, call: CallKind, targets: &[(String, usize)]) -> Result<(), PErr> {
        let kinds: &[NameKind] = match call {
            CallKind::Accept => &[NameKind::Socket, NameKind::Addr],
            CallKind::Recv => &[NameKind::Bytes],
            CallKind::RecvFrom => &[NameKind::Bytes, NameKind::Addr],
            CallKind::GetSockName | CallKind::GetPeerName => &[NameKind::Addr],
            _ => &[],
        };
        if let Some((_, pos)) = targets.first()
            && kinds.is_empty()
        {
            return err(
                *pos,
                t!(self.lang, "parse-no-value-to-keep", call = call.name()),
            );
        }
        if targets.len() > kinds.len() {
            let shape = match call {
                CallKind::Accept => "conn, addr = s.accept()",
                CallKind::RecvFrom => "data, addr = s.recvfrom(1024)",
                CallKind::Recv => "data = s.recv(1024)",
                _ => "addr = s.getsockname()",
            };
            return err(
                targets[kinds.len()].1,
                t!(
                    self.lang,
                    "parse-gives-values",
                    call = call.name(),
                    count = kinds.len().to_string(),
                    shape = shape
                ),
            );
        }
        for ((name, _), kind) in targets.iter().zip(kinds) {
            self.env.define(name, *kind);
        }
        Ok(())
    }

    // ----------------------------------------------------------------------------- values

    fn args(&mut self) -> Result<Vec<Arg>, PErr> {
        let mut args = Vec::new();
        if self.eat_punct(")") {
            return Ok(args);
        }
        loop {
            let keyword = match (self.peek(), self.peek_at(1)) {
                (Some(Tok::Ident(name)), Some(Tok::Punct("="))) => {
                    let name = name.clone();
                    self.i += 2;
                    Some(name)
                }
                _ => None,
            };
            let value = self.value()?;
            args.push(Arg { keyword, value });
            if self.eat_punct(",") {
                if self.eat_punct(")") {
                    break;
                }
                continue;
            }
            if self.is_punct(")") {
                self.i += 1;
                break;
            }
            if self.at_end() {
                return err(self.pos(), t!(self.lang, "parse-missing-close-paren"));
            }
            return err(
                self.pos(),
                t!(
                    self.lang,
                    "parse-expected-comma-or-close",
                    found = self.found()
                ),
            );
        }
        Ok(args)
    }

    fn value(&mut self) -> Result<PV, PErr> {
        let first = self.term()?;
        if !self.is_punct("|") {
            return Ok(first);
        }
        let pos = first.pos;
        let mut parts = vec![first];
        while self.eat_punct("|") {
            parts.push(self.term()?);
        }
        Ok(PV {
            v: V::Or(parts),
            pos,
        })
    }

    fn term(&mut self) -> Result<PV, PErr> {
        let mut left = self.unary()?;
        while self.is_punct("*") {
            let star = self.pos();
            self.i += 1;
            let right = self.unary()?;
            let v = match (&left.v, &right.v) {
                (V::Bytes(data), V::Int(n)) | (V::Int(n), V::Bytes(data)) => {
                    repeat(self.lang, data, *n, star)?
                }
                (V::Int(a), V::Int(b)) => V::Int(a.checked_mul(*b).ok_or_else(|| PErr {
                    pos: star,
                    message: t!(self.lang, "parse-product-too-large"),
                })?),
                _ => {
                    return err(
                        star,
                        t!(
                            self.lang,
                            "parse-bad-star",
                            left = left.v.describe(self.lang),
                            right = right.v.describe(self.lang)
                        ),
                    );
                }
            };
            left = PV { v, pos: left.pos };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<PV, PErr> {
        if self.depth >= MAX_NESTING {
            return err(
                self.pos(),
                t!(
                    self.lang,
                    "parse-nested-too-deep",
                    limit = MAX_NESTING.to_string()
                ),
            );
        }
        self.depth += 1;
        let result = self.unary_inner();
        self.depth -= 1;
        result
    }

    fn unary_inner(&mut self) -> Result<PV, PErr> {
        let pos = self.pos();
        if self.eat_punct("-") {
            let inner = self.unary()?;
            return match inner.v {
                // -(-2**63) does not fit an i64.
                V::Int(n) => n
                    .checked_neg()
                    .map(|n| PV { v: V::Int(n), pos })
                    .ok_or_else(|| PErr {
                        pos,
                        message: t!(self.lang, "parse-integer-too-large"),
                    }),
                V::Float(f) => Ok(PV {
                    v: V::Float(-f),
                    pos,
                }),
                other => err(
                    pos,
                    t!(
                        self.lang,
                        "parse-minus-before",
                        value = other.describe(self.lang)
                    ),
                ),
            };
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<PV, PErr> {
        let pos = self.pos();
        let Some(token) = self.next() else {
            return err(
                pos,
                self.expected(
                    &t!(self.lang, "parse-want-value"),
                    &t!(self.lang, "parse-end-of-action"),
                ),
            );
        };
        let v = match token.tok {
            Tok::Int(n) => V::Int(n),
            Tok::Float(f) => V::Float(f),
            Tok::Bytes(data) => V::Bytes(data),
            Tok::Str(text) => {
                if self.is_punct(".") {
                    return self.str_method(text, pos);
                }
                V::Str(text)
            }
            Tok::Punct("(") => {
                if self.eat_punct(")") {
                    V::Tuple(Vec::new())
                } else {
                    let mut items = vec![self.value()?];
                    let mut tuple = false;
                    while self.eat_punct(",") {
                        tuple = true;
                        if self.is_punct(")") {
                            break;
                        }
                        items.push(self.value()?);
                    }
                    self.expect_punct(")", &t!(self.lang, "parse-to-close-paren"))?;
                    if tuple {
                        V::Tuple(items)
                    } else {
                        return Ok(items.remove(0));
                    }
                }
            }
            Tok::Ident(word) => match word.as_str() {
                "True" => V::Bool(true),
                "False" => V::Bool(false),
                "None" => V::None,
                _ => {
                    let mut path = word;
                    while self.is_punct(".") && matches!(self.peek_at(1), Some(Tok::Ident(_))) {
                        self.i += 1;
                        if let Some(Tok::Ident(part)) = self.next().map(|t| t.tok) {
                            path.push('.');
                            path.push_str(&part);
                        }
                    }
                    let path = path
                        .strip_prefix("socket.")
                        .map_or(path.clone(), str::to_string);
                    if self.eat_punct("(") {
                        let args = self.args()?;
                        if path == "gethostname" {
                            if let Some(arg) = args.first() {
                                return err(
                                    arg.value.pos,
                                    t!(self.lang, "parse-takes-no-arguments", call = "gethostname"),
                                );
                            }
                            V::Str(crate::engine::host_name())
                        } else {
                            V::Func { name: path, args }
                        }
                    } else {
                        V::Name(path)
                    }
                }
            },
            other => {
                return err(
                    pos,
                    self.expected(
                        &t!(self.lang, "parse-want-value"),
                        &other.describe(self.lang),
                    ),
                );
            }
        };
        Ok(PV { v, pos })
    }

    /// `'text'.encode()` / `.encode('utf-8')`
    fn str_method(&mut self, text: String, pos: usize) -> Result<PV, PErr> {
        // Called only with the '.' next.
        self.eat_punct(".");
        let (method, method_pos) =
            self.expect_ident(&t!(self.lang, "parse-want-code", code = "encode"))?;
        if method != "encode" {
            return err(
                method_pos,
                t!(
                    self.lang,
                    "parse-string-only-encode",
                    method = method.as_str()
                ),
            );
        }
        self.expect_punct("(", &self.after("encode"))?;
        let args = self.args()?;
        let encoding = match args.as_slice() {
            [] => "utf-8".to_string(),
            [
                Arg {
                    value: PV {
                        v: V::Str(name), ..
                    },
                    ..
                },
            ] => name.to_lowercase(),
            [arg, ..] => return err(arg.value.pos, t!(self.lang, "parse-encode-takes-name")),
        };
        let data = match encoding.replace('_', "-").as_str() {
            "utf-8" | "utf8" => text.into_bytes(),
            "ascii" | "latin-1" | "latin1" | "iso-8859-1" => {
                let limit = if encoding == "ascii" { 0x7f } else { 0xff };
                let mut out = Vec::new();
                for c in text.chars() {
                    let code = u32::from(c);
                    if code > limit {
                        return err(
                            pos,
                            t!(
                                self.lang,
                                "parse-cannot-encode",
                                char = c.to_string(),
                                encoding = encoding.as_str()
                            ),
                        );
                    }
                    out.push(code as u8);
                }
                out
            }
            other => {
                return err(
                    args.first().map_or(method_pos, |a| a.value.pos),
                    t!(self.lang, "parse-encoding-not-available", encoding = other),
                );
            }
        };
        Ok(PV {
            v: V::Bytes(data),
            pos,
        })
    }

    // ----------------------------------------------------------------------------- converters

    fn constant_of<T: Copy>(
        &self,
        value: &PV,
        table: &[(&'static str, T)],
        what: &str,
    ) -> Result<T, PErr> {
        if let V::Name(name) = &value.v {
            if let Some((_, found)) = table.iter().find(|(n, _)| n == name) {
                return Ok(*found);
            }
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            let mut hint = did_you_mean(self.lang, name, &names);
            if hint.is_empty() {
                hint = did_you_mean(self.lang, name, &all_constants());
            }
            let found = t!(self.lang, "lex-token-name", name = name.as_str()) + &hint;
            return err(value.pos, self.expected(what, &found));
        }
        err(value.pos, self.expected(what, &value.v.describe(self.lang)))
    }

    fn int(&self, value: &PV, what: &str) -> Result<i64, PErr> {
        match &value.v {
            V::Int(n) => Ok(*n),
            V::Bool(flag) => Ok(i64::from(*flag)),
            V::Name(name) if is_constant_name(name) => err(
                value.pos,
                t!(
                    self.lang,
                    "parse-number-not-constant",
                    what = what,
                    name = name.as_str(),
                    hint = did_you_mean(self.lang, name, &all_constants())
                ),
            ),
            other => err(
                value.pos,
                t!(
                    self.lang,
                    "parse-number-not",
                    what = what,
                    value = other.describe(self.lang)
                ),
            ),
        }
    }

    /// `WHAT cannot be negative`.
    fn negative(&self, what: &str) -> String {
        t!(self.lang, "parse-cannot-be-negative", what = what)
    }

    fn size(&self, value: &PV, what: &str) -> Result<usize, PErr> {
        let n = self.int(value, what)?;
        if n < 0 {
            return err(value.pos, self.negative(what));
        }
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if n > MAX_BYTES {
            return err(
                value.pos,
                t!(
                    self.lang,
                    "parse-over-byte-limit",
                    what = what,
                    value = n.to_string(),
                    limit = MAX_BYTES.to_string()
                ),
            );
        }
        Ok(n)
    }

    /// Bytes to send: a literal, or a name holding bytes received earlier.
    fn data(&self, value: &PV) -> Result<(Vec<u8>, Option<String>), PErr> {
        match &value.v {
            V::Bytes(data) => Ok((data.clone(), None)),
            V::Str(text) => err(
                value.pos,
                t!(
                    self.lang,
                    "parse-send-takes-bytes",
                    text = text.escape_default().to_string()
                ),
            ),
            V::Name(name) if !is_constant_name(name) => match self.env.kind(name) {
                Some(NameKind::Bytes) => Ok((Vec::new(), Some(name.clone()))),
                Some(kind) => err(
                    value.pos,
                    t!(
                        self.lang,
                        "parse-name-not-bytes",
                        name = name.as_str(),
                        kind = kind.label(self.lang)
                    ),
                ),
                None => err(
                    value.pos,
                    t!(
                        self.lang,
                        "parse-nothing-named",
                        name = name.as_str(),
                        hint = did_you_mean(self.lang, name, &self.env.names_of(NameKind::Bytes))
                    ),
                ),
            },
            other => err(
                value.pos,
                self.expected(
                    &t!(self.lang, "parse-want-bytes"),
                    &other.describe(self.lang),
                ),
            ),
        }
    }

    fn port(&self, value: &PV) -> Result<u32, PErr> {
        let port = match &value.v {
            V::Int(n) => *n,
            other => {
                return err(
                    value.pos,
                    t!(
                        self.lang,
                        "parse-port-not-number",
                        value = other.describe(self.lang)
                    ),
                );
            }
        };
        if port < 0 {
            return err(
                value.pos,
                t!(self.lang, "parse-port-negative", port = port.to_string()),
            );
        }
        if port > 65535 {
            return err(
                value.pos,
                t!(self.lang, "parse-port-too-large", port = port.to_string()),
            );
        }
        Ok(port as u32)
    }

    /// An address: `('host', port)`, `'/path'` (AF_UNIX), or a socket / address name.
    fn addr(&self, value: &PV) -> Result<AddrRef, PErr> {
        match &value.v {
            V::Tuple(items) if (2..=4).contains(&items.len()) => {
                let host = match &items[0].v {
                    V::Str(host) => host.clone(),
                    other => {
                        return err(
                            items[0].pos,
                            t!(
                                self.lang,
                                "parse-host-not-string",
                                value = other.describe(self.lang)
                            ),
                        );
                    }
                };
                if looks_like_ipv4(&host) && host.parse::<std::net::Ipv4Addr>().is_err() {
                    return err(
                        items[0].pos,
                        t!(self.lang, "parse-not-ipv4", host = host.as_str()),
                    );
                }
                let port = self.port(&items[1])?;
                Ok(AddrRef::Literal(AddrArg::Inet { host, port }))
            }
            V::Tuple(_) => err(value.pos, t!(self.lang, "parse-address-tuple")),
            V::Str(path) => {
                if path.is_empty() {
                    return err(value.pos, t!(self.lang, "parse-unix-address-path"));
                }
                Ok(AddrRef::Literal(AddrArg::Path(path.clone())))
            }
            V::Name(name) if !is_constant_name(name) => match self.env.kind(name) {
                Some(NameKind::Socket | NameKind::Addr) => Ok(AddrRef::Name(name.clone())),
                Some(kind) => err(
                    value.pos,
                    t!(
                        self.lang,
                        "parse-name-not-address",
                        name = name.as_str(),
                        kind = kind.label(self.lang)
                    ),
                ),
                None => {
                    let mut names = self.env.names_of(NameKind::Socket);
                    names.extend(self.env.names_of(NameKind::Addr));
                    err(
                        value.pos,
                        t!(
                            self.lang,
                            "parse-no-such-address",
                            name = name.as_str(),
                            hint = did_you_mean(self.lang, name, &names)
                        ),
                    )
                }
            },
            other => err(
                value.pos,
                t!(
                    self.lang,
                    "parse-not-an-address",
                    value = other.describe(self.lang)
                ),
            ),
        }
    }

    fn recv_flags(&self, value: &PV) -> Result<RecvFlags, PErr> {
        let parts: Vec<&PV> = match &value.v {
            V::Or(parts) => parts.iter().collect(),
            _ => vec![value],
        };
        let mut flags = RecvFlags::default();
        for part in parts {
            match &part.v {
                V::Int(0) => {}
                V::Name(name) if name == "MSG_PEEK" => flags.peek = true,
                V::Name(name) if name == "MSG_WAITALL" => flags.waitall = true,
                V::Name(name) if name == "MSG_DONTWAIT" => flags.dontwait = true,
                V::Name(name) => {
                    return err(
                        part.pos,
                        t!(
                            self.lang,
                            "parse-unknown-flag",
                            name = name.as_str(),
                            hint = did_you_mean(self.lang, name, MSG_FLAGS)
                        ),
                    );
                }
                other => {
                    return err(
                        part.pos,
                        t!(
                            self.lang,
                            "parse-flags-not",
                            value = other.describe(self.lang)
                        ),
                    );
                }
            }
        }
        Ok(flags)
    }

    fn no_send_flags(&self, value: &PV) -> Result<(), PErr> {
        match &value.v {
            V::Int(0) => Ok(()),
            _ => err(value.pos, t!(self.lang, "parse-no-send-flags")),
        }
    }

    fn option_name(&self, value: &PV) -> Result<&'static options::OptionSpec, PErr> {
        let V::Name(name) = &value.v else {
            return err(
                value.pos,
                self.expected(
                    &t!(self.lang, "parse-want-option"),
                    &value.v.describe(self.lang),
                ),
            );
        };
        options::find(name).ok_or_else(|| {
            let known: Vec<&str> = options::OPTIONS.iter().map(|spec| spec.name).collect();
            let hint = did_you_mean(self.lang, name, &known);
            let message = if hint.is_empty() {
                t!(
                    self.lang,
                    "parse-unknown-option-known",
                    name = name.as_str(),
                    known = known.join(", ")
                )
            } else {
                t!(
                    self.lang,
                    "parse-unknown-option",
                    name = name.as_str(),
                    hint = hint
                )
            };
            PErr {
                pos: value.pos,
                message,
            }
        })
    }

    fn level(&self, value: &PV, spec: &options::OptionSpec) -> Result<(), PErr> {
        let V::Name(level) = &value.v else {
            return err(
                value.pos,
                self.expected(
                    &t!(self.lang, "parse-want-level", level = spec.level),
                    &value.v.describe(self.lang),
                ),
            );
        };
        if !LEVELS.contains(&level.as_str()) {
            return err(
                value.pos,
                t!(
                    self.lang,
                    "parse-unknown-level",
                    level = level.as_str(),
                    hint = did_you_mean(self.lang, level, LEVELS)
                ),
            );
        }
        if level != spec.level {
            return err(
                value.pos,
                t!(
                    self.lang,
                    "parse-wrong-level",
                    option = spec.name,
                    level = spec.level,
                    given = level.as_str()
                ),
            );
        }
        Ok(())
    }

    fn opt_value(&self, value: &PV, spec: &options::OptionSpec) -> Result<OptValue, PErr> {
        match spec.kind {
            OptKind::Bool | OptKind::Int => match &value.v {
                V::Int(n) => Ok(OptValue::Int(*n)),
                V::Bool(flag) => Ok(OptValue::Int(i64::from(*flag))),
                other => err(
                    value.pos,
                    t!(
                        self.lang,
                        "parse-option-takes-integer",
                        option = spec.name,
                        value = other.describe(self.lang)
                    ),
                ),
            },
            OptKind::Linger => self.linger(value),
            OptKind::Membership => self.membership(value, spec),
        }
    }

    fn linger(&self, value: &PV) -> Result<OptValue, PErr> {
        let usage = t!(self.lang, "parse-linger-usage");
        let negative = t!(self.lang, "parse-linger-negative");
        let pair = |on: &PV, secs: &PV| -> Result<OptValue, PErr> {
            let on = self.int(on, "l_onoff")?;
            let secs = self.int(secs, "l_linger")?;
            if on == 0 {
                return Ok(OptValue::Linger(None));
            }
            u32::try_from(secs)
                .map(|secs| OptValue::Linger(Some(secs)))
                .or_else(|_| err(value.pos, negative.clone()))
        };
        match &value.v {
            V::Func { name, args } if name == "struct.pack" => match args.as_slice() {
                [fmt, on, secs] if matches!(fmt.value.v, V::Str(_)) => pair(&on.value, &secs.value),
                _ => err(value.pos, usage),
            },
            V::Func { name, args } if name == "linger" => match args.as_slice() {
                [arg] if arg.value.v == V::None => Ok(OptValue::Linger(None)),
                [arg] => {
                    let secs = self.int(&arg.value, &t!(self.lang, "parse-what-linger-time"))?;
                    u32::try_from(secs)
                        .map(|secs| OptValue::Linger(Some(secs)))
                        .or_else(|_| err(arg.value.pos, negative.clone()))
                }
                _ => err(value.pos, usage),
            },
            V::Tuple(items) if items.len() == 2 => pair(&items[0], &items[1]),
            _ => err(value.pos, usage),
        }
    }

    fn membership(&self, value: &PV, spec: &options::OptionSpec) -> Result<OptValue, PErr> {
        let default_interface = if spec.level == "IPPROTO_IPV6" {
            "0"
        } else {
            "0.0.0.0"
        };
        let text = |pv: &PV| -> Result<String, PErr> {
            match &pv.v {
                V::Str(text) => Ok(text.clone()),
                V::Int(n) => Ok(n.to_string()),
                V::Name(name) if name == "INADDR_ANY" => Ok("0.0.0.0".to_string()),
                V::Func { name, args } if name == "inet_aton" => match args.as_slice() {
                    [
                        Arg {
                            value:
                                PV {
                                    v: V::Str(text), ..
                                },
                            ..
                        },
                    ] => Ok(text.clone()),
                    _ => err(pv.pos, t!(self.lang, "parse-inet-aton-string")),
                },
                other => err(
                    pv.pos,
                    self.expected(
                        &t!(self.lang, "parse-want-address-string"),
                        &other.describe(self.lang),
                    ),
                ),
            }
        };
        let usage = t!(self.lang, "parse-membership-usage", option = spec.name);
        let (group, interface) = match &value.v {
            V::Str(group) => (group.clone(), default_interface.to_string()),
            V::Tuple(items) if items.len() == 2 => (text(&items[0])?, text(&items[1])?),
            V::Func { name, args } if name == "membership" => match args.as_slice() {
                [group] => (text(&group.value)?, default_interface.to_string()),
                [group, interface] => (text(&group.value)?, text(&interface.value)?),
                _ => return err(value.pos, usage),
            },
            V::Func { name, args } if name == "struct.pack" => match args.as_slice() {
                [_, group, interface] => (text(&group.value)?, text(&interface.value)?),
                _ => return err(value.pos, usage),
            },
            _ => return err(value.pos, usage),
        };
        Ok(OptValue::Membership { group, interface })
    }

    fn arity(
        &self,
        args: &[Arg],
        min: usize,
        max: usize,
        usage: &str,
        pos: usize,
    ) -> Result<(), PErr> {
        if let Some(arg) = args.iter().find(|arg| arg.keyword.is_some()) {
            return err(
                arg.value.pos,
                t!(self.lang, "parse-arguments-without-names", usage = usage),
            );
        }
        if args.len() < min {
            return err(pos, t!(self.lang, "parse-missing-argument", usage = usage));
        }
        if args.len() > max {
            return err(
                args[max].value.pos,
                t!(self.lang, "parse-too-many-arguments", usage = usage),
            );
        }
        Ok(())
    }

    /// setsockopt, getsockopt, setblocking, settimeout.
    fn option_or_mode_call(&self, method: &str, pos: usize, args: &[Arg]) -> Result<Call, PErr> {
        let call = match method {
            "setsockopt" => {
                self.arity(args, 3, 3, "setsockopt(level, option, value)", pos)?;
                let spec = self.option_name(&args[1].value)?;
                self.level(&args[0].value, spec)?;
                let value = self.opt_value(&args[2].value, spec)?;
                Call::SetOpt {
                    name: spec.name.to_string(),
                    value,
                }
            }
            "getsockopt" => {
                self.arity(args, 2, 3, "getsockopt(level, option[, buflen])", pos)?;
                let spec = self.option_name(&args[1].value)?;
                self.level(&args[0].value, spec)?;
                if !spec.readable {
                    return err(
                        args[1].value.pos,
                        t!(self.lang, "parse-option-write-only", option = spec.name),
                    );
                }
                Call::GetOpt {
                    name: spec.name.to_string(),
                }
            }
            "setblocking" => {
                self.arity(args, 1, 1, "setblocking(True | False)", pos)?;
                let flag = match &args[0].value.v {
                    V::Bool(flag) => *flag,
                    V::Int(n) => *n != 0,
                    other => {
                        return err(
                            args[0].value.pos,
                            t!(
                                self.lang,
                                "parse-setblocking-takes",
                                value = other.describe(self.lang)
                            ),
                        );
                    }
                };
                Call::SetBlocking(flag)
            }
            "settimeout" => {
                self.arity(args, 1, 1, "settimeout(seconds | None)", pos)?;
                let value = &args[0].value;
                let seconds = match &value.v {
                    V::None => None,
                    V::Int(n) => Some(*n as f64),
                    V::Float(f) => Some(*f),
                    other => {
                        return err(
                            value.pos,
                            t!(
                                self.lang,
                                "parse-settimeout-takes",
                                value = other.describe(self.lang)
                            ),
                        );
                    }
                };
                match seconds {
                    None => Call::SetTimeout(None),
                    Some(s) if s < 0.0 || !s.is_finite() => {
                        return err(value.pos, t!(self.lang, "parse-timeout-negative"));
                    }
                    Some(s) if s > 1e9 => {
                        return err(value.pos, t!(self.lang, "parse-timeout-too-large"));
                    }
                    Some(s) => Call::SetTimeout(Some((s * 1000.0).round() as u64)),
                }
            }
            other => return err(pos, self.unknown_call(other, &[])),
        };
        Ok(call)
    }

    fn call(&self, method: &str, pos: usize, args: &[Arg]) -> Result<CallSpec, PErr> {
        let mut addr_from = None;
        let mut data_from = None;
        let mut address = |parser: &Self, value: &PV| -> Result<AddrArg, PErr> {
            match parser.addr(value)? {
                AddrRef::Literal(addr) => Ok(addr),
                AddrRef::Name(name) => {
                    addr_from = Some(name);
                    Ok(AddrArg::Path(String::new()))
                }
            }
        };
        let call = match method {
            "bind" | "connect" => {
                self.arity(args, 1, 1, &format!("{method}(address)"), pos)?;
                let addr = address(self, &args[0].value)?;
                if method == "bind" {
                    Call::Bind(addr)
                } else {
                    Call::Connect(addr)
                }
            }
            "listen" => {
                self.arity(args, 0, 1, "listen([backlog])", pos)?;
                let backlog = match args.first() {
                    None => 128,
                    Some(arg) => {
                        let n = self.int(&arg.value, &t!(self.lang, "parse-what-backlog"))?;
                        i32::try_from(n).or_else(|_| {
                            err(arg.value.pos, t!(self.lang, "parse-backlog-too-large"))
                        })?
                    }
                };
                Call::Listen { backlog }
            }
            "accept" => {
                self.arity(args, 0, 0, "accept()", pos)?;
                Call::Accept
            }
            "send" | "sendall" => {
                self.arity(args, 1, 2, &format!("{method}(data[, flags])"), pos)?;
                let (data, from) = self.data(&args[0].value)?;
                data_from = from;
                if let Some(flags) = args.get(1) {
                    self.no_send_flags(&flags.value)?;
                }
                if method == "send" {
                    Call::Send { data }
                } else {
                    Call::SendAll { data }
                }
            }
            "sendto" => {
                self.arity(args, 2, 3, &t!(self.lang, "parse-usage-sendto"), pos)?;
                let (data, from) = self.data(&args[0].value)?;
                data_from = from;
                if args.len() == 3 {
                    self.no_send_flags(&args[1].value)?;
                }
                let addr = address(self, &args[args.len() - 1].value)?;
                Call::SendTo { data, addr }
            }
            "recv" | "recvfrom" => {
                self.arity(args, 1, 2, &format!("{method}(bufsize[, flags])"), pos)?;
                let bufsize = self.size(&args[0].value, "bufsize")?;
                let flags = match args.get(1) {
                    Some(arg) => self.recv_flags(&arg.value)?,
                    None => RecvFlags::default(),
                };
                if method == "recv" {
                    Call::Recv { bufsize, flags }
                } else {
                    Call::RecvFrom { bufsize, flags }
                }
            }
            "shutdown" => {
                self.arity(args, 1, 1, "shutdown(SHUT_RD | SHUT_WR | SHUT_RDWR)", pos)?;
                let value = &args[0].value;
                let how = match &value.v {
                    V::Int(0) => ShutdownHow::Read,
                    V::Int(1) => ShutdownHow::Write,
                    V::Int(2) => ShutdownHow::Both,
                    _ => self.constant_of(value, SHUT, &t!(self.lang, "parse-want-shutdown"))?,
                };
                Call::Shutdown(how)
            }
            "close" => {
                self.arity(args, 0, 0, "close()", pos)?;
                Call::Close
            }
            "setsockopt" | "getsockopt" | "setblocking" | "settimeout" => {
                self.option_or_mode_call(method, pos, args)?
            }
            "getsockname" => {
                self.arity(args, 0, 0, "getsockname()", pos)?;
                Call::GetSockName
            }
            "getpeername" => {
                self.arity(args, 0, 0, "getpeername()", pos)?;
                Call::GetPeerName
            }
            other => return err(pos, self.unknown_call(other, &[])),
        };
        Ok(CallSpec {
            call,
            addr_from,
            data_from,
        })
    }

    fn automation(&self, args: &[Arg]) -> Result<(Automation, Option<String>), PErr> {
        let mut automation = Automation::default();
        let mut flood: Option<Flood> = None;
        let mut flood_to = None;
        let mut destination = None;
        let mut chunk = None;
        let mut total = None;
        let responders: Vec<&str> = Responder::ALL
            .iter()
            .map(|r| r.script_name())
            .chain(["rules"])
            .collect();
        let responder_of = |pv: &PV| -> Result<Responder, PErr> {
            let name = match &pv.v {
                V::Str(name) | V::Name(name) => name.clone(),
                other => {
                    return err(
                        pv.pos,
                        t!(
                            self.lang,
                            "parse-responder-not-name",
                            value = other.describe(self.lang)
                        ),
                    );
                }
            };
            if name == "rules" {
                return self.rules_responder(pv.pos);
            }
            Responder::from_script_name(&name).ok_or_else(|| PErr {
                pos: pv.pos,
                message: t!(
                    self.lang,
                    "parse-unknown-responder",
                    name = name.as_str(),
                    hint = did_you_mean(self.lang, &name, &responders),
                    responders = responders.join(", ")
                ),
            })
        };
        for arg in args {
            let value = &arg.value;
            match arg.keyword.as_deref() {
                None => {
                    let V::Name(word) = &value.v else {
                        return err(value.pos, t!(self.lang, "parse-auto-usage"));
                    };
                    match word.as_str() {
                        "accept" => automation.auto_accept = true,
                        "receive" | "recv" => automation.auto_receive = true,
                        "off" => automation = Automation::default(),
                        "rules" => {
                            automation.auto_receive = true;
                            automation.responder = Some(self.rules_responder(value.pos)?);
                        }
                        other => {
                            if let Ok(responder) = responder_of(value) {
                                automation.auto_receive = true;
                                automation.responder = Some(responder);
                            } else {
                                let words = ["accept", "receive", "off"];
                                return err(
                                    value.pos,
                                    t!(
                                        self.lang,
                                        "parse-unknown-automation",
                                        name = other,
                                        hint = did_you_mean(self.lang, other, &words)
                                    ),
                                );
                            }
                        }
                    }
                }
                Some("respond" | "responder") => {
                    automation.auto_receive = true;
                    automation.responder = Some(responder_of(value)?);
                }
                Some("flood") => {
                    let rate = self.int(value, &t!(self.lang, "parse-what-flood"))?;
                    let rate =
                        u64::try_from(rate).or_else(|_| err(value.pos, self.negative("flood")))?;
                    flood = Some(Flood {
                        bytes_per_sec: rate,
                        destination: None,
                        chunk_size: crate::engine::command::DEFAULT_FLOOD_CHUNK,
                        total_bytes: None,
                    });
                }
                Some("to") => match self.addr(value)? {
                    AddrRef::Literal(addr) => destination = Some(addr),
                    AddrRef::Name(name) => flood_to = Some(name),
                },
                Some("chunk") => chunk = Some(self.size(value, "chunk")?.max(1)),
                Some("total") => total = Some(self.size(value, "total")? as u64),
                Some("bufsize") => automation.recv_bufsize = self.size(value, "bufsize")?,
                Some(other) => {
                    let words = ["respond", "flood", "to", "chunk", "total", "bufsize"];
                    return err(
                        value.pos,
                        t!(
                            self.lang,
                            "parse-auto-no-option",
                            name = other,
                            hint = did_you_mean(self.lang, other, &words)
                        ),
                    );
                }
            }
        }
        if let Some(flood) = flood.as_mut() {
            flood.destination = destination;
            if let Some(chunk) = chunk {
                flood.chunk_size = chunk;
            }
            flood.total_bytes = total;
        } else if let Some(arg) = args
            .iter()
            .find(|arg| matches!(arg.keyword.as_deref(), Some("to" | "chunk" | "total")))
        {
            return err(arg.value.pos, t!(self.lang, "parse-flood-options"));
        }
        automation.flood = flood;
        Ok((automation, flood_to))
    }

    /// `respond='rules'`: the file's reply rules, or why there are none to answer by.
    fn rules_responder(&self, pos: usize) -> Result<Responder, PErr> {
        match &self.env.rules {
            Some(Ok(rules)) => Ok(Responder::Rules(Arc::clone(rules))),
            Some(Err(error)) => err(
                pos,
                t!(self.lang, "rules-script-unusable", error = error.as_str()),
            ),
            None => err(pos, t!(self.lang, "rules-script-none")),
        }
    }

    // ----------------------------------------------------------------------------- expectations

    fn duration_us(&mut self) -> Result<Option<u64>, PErr> {
        let pos = self.pos();
        let amount = match self.peek() {
            Some(Tok::Int(n)) => *n as f64,
            Some(Tok::Float(f)) => *f,
            _ => return Ok(None),
        };
        self.i += 1;
        if amount < 0.0 {
            return err(pos, self.negative(&t!(self.lang, "parse-what-duration")));
        }
        let unit_pos = self.pos();
        let factor = match self.peek() {
            Some(Tok::Ident(unit)) => match unit.as_str() {
                "us" => 1.0,
                "ms" => 1_000.0,
                "s" | "sec" => 1_000_000.0,
                "m" | "min" => 60_000_000.0,
                other => {
                    return err(
                        unit_pos,
                        t!(self.lang, "parse-unknown-time-unit", unit = other),
                    );
                }
            },
            _ => {
                return err(pos, t!(self.lang, "parse-add-time-unit"));
            }
        };
        self.i += 1;
        let us = amount * factor;
        if us > 1e15 {
            return err(pos, t!(self.lang, "parse-duration-too-long"));
        }
        Ok(Some(us.round() as u64))
    }

    fn cmp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek() {
            Some(Tok::Punct("==")) => CmpOp::Eq,
            Some(Tok::Punct("!=")) => CmpOp::Ne,
            Some(Tok::Punct(">=")) => CmpOp::Ge,
            Some(Tok::Punct("<=")) => CmpOp::Le,
            Some(Tok::Punct(">")) => CmpOp::Gt,
            Some(Tok::Punct("<")) => CmpOp::Lt,
            _ => return None,
        };
        self.i += 1;
        Some(op)
    }

    fn maybe_expectations(&mut self, kind: &ActionKind) -> Result<Vec<RawExpect>, PErr> {
        if self.at_end() {
            return Ok(Vec::new());
        }
        if !self.is_punct("=>") {
            let hint = if self.is_punct("=") || self.is_punct("==") {
                t!(self.lang, "parse-expectations-follow-arrow")
            } else {
                String::new()
            };
            return err(
                self.pos(),
                t!(
                    self.lang,
                    "parse-unexpected-after-call",
                    found = self.found(),
                    hint = hint
                ),
            );
        }
        let arrow = self.pos();
        self.i += 1;
        if matches!(kind, ActionKind::Cancel { .. } | ActionKind::Auto { .. }) {
            return err(arrow, t!(self.lang, "parse-no-result-to-check"));
        }
        if matches!(kind, ActionKind::Unlink { .. }) {
            let start = self.pos();
            let check = self.expectation(false, Some("os.unlink"))?;
            if !matches!(check, Check::Ok | Check::NoneValue | Check::Errno { .. }) {
                return err(start, t!(self.lang, "parse-unlink-check"));
            }
            self.expect_end(&t!(self.lang, "parse-after-expectation"))?;
            return Ok(vec![(check, start, self.prev_end())]);
        }
        let call_kind: Option<CallKind> = match kind {
            ActionKind::Call { call, .. } => Some(call.call.kind()),
            ActionKind::Await { call, .. } => *call,
            _ => None,
        };
        let call_name = match kind {
            ActionKind::Create { .. } => Some("socket"),
            _ => call_kind.map(CallKind::name),
        };
        let kernel = matches!(kind, ActionKind::Kernel { .. });
        let mut out = Vec::new();
        loop {
            if self.at_end() {
                return err(self.pos(), t!(self.lang, "parse-expected-expectation"));
            }
            let start = self.pos();
            let check = self.expectation(kernel, call_name)?;
            if let Some(call) = call_kind {
                applicable(self.lang, call, &check).map_err(|message| PErr {
                    pos: start,
                    message,
                })?;
            }
            out.push((check, start, self.prev_end()));
            if self.at_end() {
                break;
            }
            self.expect_punct(",", &t!(self.lang, "parse-between-expectations"))?;
        }
        Ok(out)
    }

    /// After `system(ADDR)` or `wire(A, B)`: counts, `FIELD OP N` (`time_wait == 1`,
    /// `rst >= 1`), each field one of `fields`.
    fn count_expectations(
        &mut self,
        action: &str,
        fields: &[&str],
    ) -> Result<Vec<RawExpect>, PErr> {
        if self.at_end() {
            return Ok(Vec::new());
        }
        self.expect_punct("=>", &self.after(&format!("{action}(...)")))?;
        let mut out = Vec::new();
        loop {
            let start = self.pos();
            let (field, field_pos) =
                self.expect_ident(&t!(self.lang, "parse-want-field", field = fields[0]))?;
            if !fields.contains(&field.as_str()) {
                return err(field_pos, self.no_such_field(action, &field, fields));
            }
            let op_pos = self.pos();
            let Some(op) = self.cmp_op() else {
                return err(
                    op_pos,
                    t!(
                        self.lang,
                        "parse-expected-count-comparison",
                        field = field.as_str()
                    ),
                );
            };
            let value_pos = self.pos();
            let Some(Tok::Int(value)) = self.next().map(|t| t.tok) else {
                return err(
                    value_pos,
                    t!(self.lang, "parse-expected-count", field = field.as_str()),
                );
            };
            out.push((
                Check::Kernel {
                    field,
                    op,
                    value: FieldValue::Int(value),
                },
                start,
                self.prev_end(),
            ));
            if self.at_end() {
                break;
            }
            self.expect_punct(",", &t!(self.lang, "parse-between-expectations"))?;
        }
        Ok(out)
    }

    /// `kernel() has no field 'stat' (did you mean state?); fields: ...`.
    fn no_such_field(&self, call: &str, field: &str, fields: &[&str]) -> String {
        t!(
            self.lang,
            "parse-no-such-field",
            call = call,
            field = field,
            hint = did_you_mean(self.lang, field, fields),
            fields = fields.join(", ")
        )
    }

    /// After `kernel()`: `ok`, or FIELD OP VALUE (`state == ESTABLISHED`, `rx_queue > 0`).
    fn kernel_expectation(&mut self, word: &str, pos: usize) -> Result<Check, PErr> {
        if word == "ok" {
            self.i += 1;
            return Ok(Check::Ok);
        }
        let field = if word == "state" {
            "tcp_state".to_string()
        } else {
            word.to_string()
        };
        if !KERNEL_FIELDS.contains(&field.as_str()) {
            let mut fields = KERNEL_FIELDS.to_vec();
            fields.push("state");
            return err(pos, self.no_such_field("kernel", word, &fields));
        }
        self.i += 1;
        let op_pos = self.pos();
        let Some(op) = self.cmp_op() else {
            return err(
                op_pos,
                t!(self.lang, "parse-expected-comparison", field = word),
            );
        };
        let value_pos = self.pos();
        let value = match self.next().map(|t| t.tok) {
            Some(Tok::Int(n)) => FieldValue::Int(n),
            Some(Tok::Ident(name)) if name == "True" || name == "False" => {
                FieldValue::Int(i64::from(name == "True"))
            }
            Some(Tok::Ident(name) | Tok::Str(name)) => FieldValue::Name(name),
            _ => return err(value_pos, t!(self.lang, "parse-expected-number-or-name")),
        };
        if matches!(value, FieldValue::Name(_)) && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return err(op_pos, t!(self.lang, "parse-names-compare"));
        }
        Ok(Check::Kernel { field, op, value })
    }

    fn expectation(&mut self, kernel: bool, call: Option<&str>) -> Result<Check, PErr> {
        let pos = self.pos();
        if let Some(Tok::Ident(word)) = self.peek() {
            let word = word.clone();
            let next_is_op = matches!(
                self.peek_at(1),
                Some(Tok::Punct("==" | "!=" | ">=" | "<=" | ">" | "<"))
            );
            if kernel {
                return self.kernel_expectation(&word, pos);
            }
            let simple = match word.as_str() {
                "ok" => Some(Check::Ok),
                "timeout" | "TimeoutError" => Some(Check::Timeout),
                "cancelled" | "canceled" => Some(Check::Cancelled),
                "eof" => Some(Check::Eof),
                "None" => Some(Check::NoneValue),
                "truncated" => Some(Check::Truncated),
                _ => None,
            };
            if let Some(check) = simple {
                self.i += 1;
                return Ok(check);
            }
            if word == "blocks" {
                self.i += 1;
                let op_pos = self.pos();
                let Some(op) = self.cmp_op() else {
                    return Ok(Check::Blocks(None));
                };
                let Some(us) = self.duration_us()? else {
                    return err(op_pos, t!(self.lang, "parse-expected-duration"));
                };
                return Ok(Check::Blocks(Some((op, us))));
            }
            if (word == "from" || word == "peer" || word == "addr") && next_is_op {
                self.i += 1;
                let op_pos = self.pos();
                let op = self.cmp_op().unwrap_or(CmpOp::Eq);
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    return err(op_pos, t!(self.lang, "parse-addresses-compare"));
                }
                let value = self.value()?;
                let addr = self.addr(&value)?;
                return Ok(if word == "from" {
                    Check::From { op, addr }
                } else {
                    Check::Address { op, addr }
                });
            }
            if word == "port"
                && (next_is_op || matches!(self.peek_at(1), Some(Tok::Ident(w)) if w == "in"))
            {
                self.i += 1;
                if let Some(op) = self.cmp_op() {
                    let value = self.value()?;
                    let port = self.port(&value)?;
                    return Ok(Check::Port(PortCheck::Cmp { op, value: port }));
                }
                self.i += 1; // `in`
                let range_pos = self.pos();
                return match self.next().map(|t| t.tok) {
                    Some(Tok::Ident(range)) if range == "ephemeral" => {
                        Ok(Check::Port(PortCheck::Ephemeral))
                    }
                    _ => err(range_pos, t!(self.lang, "parse-expected-ephemeral")),
                };
            }
            if word == "host" && next_is_op {
                self.i += 1;
                let op_pos = self.pos();
                let op = self.cmp_op().unwrap_or(CmpOp::Eq);
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    return err(op_pos, t!(self.lang, "parse-hosts-compare"));
                }
                let value_pos = self.pos();
                let value = self.value()?;
                let V::Str(host) = value.v else {
                    return err(value_pos, t!(self.lang, "parse-expected-host-string"));
                };
                if host.parse::<std::net::IpAddr>().is_err() {
                    return err(
                        value_pos,
                        t!(self.lang, "parse-not-an-ip", host = host.as_str()),
                    );
                }
                return Ok(Check::Host { op, host });
            }
            if (word == "value" || word == "len") && next_is_op {
                self.i += 1;
                let op = self.cmp_op().unwrap_or(CmpOp::Eq);
                let value = self.value()?;
                let n = self.int(&value, &word)?;
                return Ok(if word == "value" {
                    Check::Value { op, value: n }
                } else {
                    Check::Moved { op, value: n }
                });
            }
            if next_is_op {
                return err(
                    pos,
                    t!(
                        self.lang,
                        "parse-unknown-expectation-field",
                        field = word.as_str(),
                        fields = KERNEL_FIELDS.join(", ")
                    ),
                );
            }
            if word.len() > 1 && word.starts_with('E') && is_constant_name(&word) {
                self.i += 1;
                return match errno::by_name(&word) {
                    Some(code) => Ok(Check::Errno { name: word, code }),
                    None => {
                        let names: Vec<&str> = errno::all().iter().map(|e| e.name).collect();
                        err(
                            pos,
                            t!(
                                self.lang,
                                "parse-unknown-errno",
                                name = word.as_str(),
                                hint = did_you_mean(self.lang, &word, &names)
                            ),
                        )
                    }
                };
            }
            if !is_constant_name(&word) && self.env.kind(&word).is_some() {
                let value = self.value()?;
                let addr = self.addr(&value)?;
                return Ok(Check::Address {
                    op: CmpOp::Eq,
                    addr,
                });
            }
            let words = [
                "ok",
                "timeout",
                "cancelled",
                "eof",
                "None",
                "truncated",
                "blocks",
                "from",
                "value",
                "len",
                "port",
                "host",
            ];
            let hint = did_you_mean(self.lang, &word, &words);
            let word = word.as_str();
            return err(
                pos,
                match call {
                    Some(call) => t!(
                        self.lang,
                        "parse-unknown-expectation-for-call",
                        word = word,
                        hint = hint,
                        call = call
                    ),
                    None => t!(
                        self.lang,
                        "parse-unknown-expectation",
                        word = word,
                        hint = hint
                    ),
                },
            );
        }
        let value = self.value()?;
        match value.v {
            V::Int(n) => Ok(Check::Value {
                op: CmpOp::Eq,
                value: n,
            }),
            V::Bytes(data) => Ok(Check::Data(data)),
            V::Str(text) => Ok(Check::Text(text)),
            V::Bool(flag) => Ok(Check::Value {
                op: CmpOp::Eq,
                value: i64::from(flag),
            }),
            V::Tuple(_) => Ok(Check::Address {
                op: CmpOp::Eq,
                addr: self.addr(&value)?,
            }),
            other => err(
                value.pos,
                t!(
                    self.lang,
                    "parse-not-an-expectation",
                    value = other.describe(self.lang)
                ),
            ),
        }
    }
}

/// Whether an expectation makes sense for a call, so `send(...) => b'x'` is caught early.
fn applicable(lang: Lang, call: CallKind, check: &Check) -> Result<(), String> {
    let receives = matches!(call, CallKind::Recv | CallKind::RecvFrom);
    let name = call.name();
    match check {
        Check::Data(_) | Check::Eof if !receives => {
            Err(t!(lang, "parse-returns-no-bytes", call = name))
        }
        Check::Truncated if !receives => Err(t!(lang, "parse-cannot-be-truncated", call = name)),
        Check::From { .. } if call != CallKind::RecvFrom => {
            Err(t!(lang, "parse-from-is-for-recvfrom", call = name))
        }
        Check::Address { .. } | Check::Port(_) | Check::Host { .. }
            if !matches!(
                call,
                CallKind::Accept | CallKind::GetSockName | CallKind::GetPeerName
            ) =>
        {
            Err(t!(lang, "parse-returns-no-address", call = name))
        }
        _ => Ok(()),
    }
}

/// Digits and dots only, with at least one dot: meant as an IPv4 literal, not a host name.
fn looks_like_ipv4(host: &str) -> bool {
    host.contains('.') && host.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn repeat(lang: Lang, data: &[u8], n: i64, pos: usize) -> Result<V, PErr> {
    if n < 0 {
        return Ok(V::Bytes(Vec::new()));
    }
    let total = data
        .len()
        .saturating_mul(usize::try_from(n).unwrap_or(usize::MAX));
    if total > MAX_BYTES {
        return err(
            pos,
            t!(
                lang,
                "parse-bytes-over-limit",
                total = total.to_string(),
                limit = MAX_BYTES.to_string()
            ),
        );
    }
    Ok(V::Bytes(data.repeat(n as usize)))
}

#[cfg(test)]
mod tests;
