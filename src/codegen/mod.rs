//! Python for every call: the line a student would write for one call of the log
//! ([`python_line`]), and the whole session as a runnable Python 3 script ([`export_python`]).
//!
//! Pure text from session data: no sockets, no egui.

mod export;

pub use export::{expected_results, export_python};

use crate::engine::command::{bytes_literal, bytes_literal_short, format_seconds};
use crate::engine::{
    Call, Direction, OptValue, Outcome, RecvFlags, SocketAddress, SocketId, Value, errno, options,
};
use crate::i18n::Lang;
use crate::session::{CallRecord, Session, SocketView};
use std::collections::{BTreeMap, HashSet};

/// Names the generated code uses for itself, so a socket may not be called this.
const RESERVED: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "match",
    "case",
    "socket",
    "struct",
    "threading",
    "sys",
    "os",
    "time",
    "ok",
    "err",
    "key",
    "addr_key",
    "RESULTS",
    "CALLS",
    "data",
    "addr",
    "e",
    "n",
    "print",
    "len",
    "range",
    "sorted",
    "type",
    "int",
    "str",
    "bytes",
    "watchdog",
    "isinstance",
    "tuple",
    "repr",
];

/// True for a name Python accepts as a variable (letters, digits, `_`, not starting with a
/// digit, not a keyword) and that the generated code does not use for itself.
pub fn is_python_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first == '_' || first.is_alphabetic()) || !chars.all(|c| c == '_' || c.is_alphanumeric()) {
        return false;
    }
    if RESERVED.contains(&name) {
        return false;
    }
    // Helper names of the exported script: t3, call_3, auto_x, x_addr, x_ready.
    let generated = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
    };
    !(generated("t")
        || generated("call_")
        || name.starts_with("auto_")
        || name.ends_with("_addr")
        || name.ends_with("_ready"))
}

/// The Python variable of every socket of the session: its name if that is a usable Python
/// identifier (and not taken by another socket), else `s3` for socket #3.
pub fn python_names(session: &Session) -> BTreeMap<SocketId, String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = BTreeMap::new();
    // Fallback names first, so a person's name never steals "s3" from socket #3.
    let fallback: HashSet<String> = session
        .sockets()
        .map(|view| fallback_name(view.id))
        .collect();
    for view in session.sockets() {
        let own = view.name.trim();
        let name = if is_python_identifier(own)
            && !taken.contains(own)
            && (!fallback.contains(own) || own == fallback_name(view.id))
        {
            own.to_string()
        } else {
            fallback_name(view.id)
        };
        taken.insert(name.clone());
        names.insert(view.id, name);
    }
    names
}

/// `s3` for socket #3.
pub fn fallback_name(id: SocketId) -> String {
    format!("s{}", id.0)
}

/// Looks a socket's name up in [`python_names`], falling back to `s3`.
pub fn name_in(names: &BTreeMap<SocketId, String>, id: SocketId) -> String {
    names.get(&id).cloned().unwrap_or_else(|| fallback_name(id))
}

/// `server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)`.
pub fn python_create_line(view: &SocketView, name: &str) -> String {
    format!(
        "{name} = socket.socket(socket.{}, socket.{})",
        view.family.python_name(),
        view.sock_type.python_name()
    )
}

/// The Python exception class CPython raises for an errno.
pub fn python_exception(code: i32) -> &'static str {
    match code {
        libc::ECONNREFUSED => "ConnectionRefusedError",
        libc::ECONNRESET => "ConnectionResetError",
        libc::ECONNABORTED => "ConnectionAbortedError",
        libc::EPIPE | libc::ESHUTDOWN => "BrokenPipeError",
        libc::EAGAIN | libc::EALREADY | libc::EINPROGRESS => "BlockingIOError",
        libc::ETIMEDOUT => "TimeoutError",
        libc::EINTR => "InterruptedError",
        libc::EACCES | libc::EPERM => "PermissionError",
        libc::ENOENT => "FileNotFoundError",
        libc::EEXIST => "FileExistsError",
        libc::ECHILD => "ChildProcessError",
        libc::ESRCH => "ProcessLookupError",
        libc::EISDIR => "IsADirectoryError",
        libc::ENOTDIR => "NotADirectoryError",
        _ => "OSError",
    }
}

/// `socket.MSG_PEEK | socket.MSG_WAITALL`.
fn flags_text(flags: RecvFlags) -> Option<String> {
    flags.python_text().map(|text| {
        text.split(" | ")
            .map(|flag| format!("socket.{flag}"))
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

/// A bytes literal that is valid Python: complete when `full`, otherwise cut short for display
/// (`b'x' * 100000` stays valid; long varied data gets an ellipsis comment).
fn bytes_arg(data: &[u8], full: bool) -> String {
    if data.len() > 40 && data.iter().all(|byte| *byte == data[0]) {
        format!("{} * {}", bytes_literal(&data[..1]), data.len())
    } else if full {
        bytes_literal(data)
    } else {
        bytes_literal_short(data)
    }
}

fn opt_value_text(name: &str, value: &OptValue) -> String {
    match value {
        OptValue::Int(value) => value.to_string(),
        OptValue::Linger(None) => "struct.pack('ii', 0, 0)".into(),
        OptValue::Linger(Some(secs)) => format!("struct.pack('ii', 1, {secs})"),
        OptValue::Membership { group, interface } => {
            if name.to_ascii_uppercase().starts_with("IPV6") {
                let index = if interface.trim().is_empty() {
                    "0"
                } else {
                    interface.trim()
                };
                format!(
                    "struct.pack('16sI', socket.inet_pton(socket.AF_INET6, '{group}'), {index})"
                )
            } else {
                let interface = if interface.trim().is_empty() {
                    "0.0.0.0"
                } else {
                    interface.trim()
                };
                format!(
                    "struct.pack('4s4s', socket.inet_aton('{group}'), socket.inet_aton('{interface}'))"
                )
            }
        }
    }
}

/// The parts of one call's Python code.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Parts {
    /// `data`, `conn, addr`: what the line assigns, if anything.
    pub lhs: Option<String>,
    /// `conn.recv(1024)`.
    pub expr: String,
    /// The call returns something worth printing (send's count, getsockname's address).
    pub returns_value: bool,
}

/// The Python code of one call (without the result comment). `address` replaces the address
/// argument of bind / connect / sendto (the export uses the run-time address there).
pub(crate) fn call_parts(
    record: &CallRecord,
    names: &dyn Fn(SocketId) -> String,
    full_data: bool,
    address: Option<&str>,
) -> Parts {
    let sock = names(record.socket);
    let addr =
        |arg: &crate::engine::AddrArg| address.map_or_else(|| arg.to_string(), str::to_string);
    let (lhs, args, returns_value): (Option<String>, String, bool) = match &record.call {
        Call::Bind(arg) | Call::Connect(arg) => (None, addr(arg), false),
        Call::Listen { backlog } => (None, backlog.to_string(), false),
        Call::Accept => {
            let child = match &record.outcome {
                Some(Outcome::Ok(Value::Accepted { child, .. })) => names(*child),
                _ => "conn".to_string(),
            };
            (Some(format!("{child}, addr")), String::new(), true)
        }
        Call::Send { data } => (None, bytes_arg(data, full_data), true),
        Call::SendAll { data } => (None, bytes_arg(data, full_data), false),
        Call::SendTo { data, addr: arg } => (
            None,
            format!("{}, {}", bytes_arg(data, full_data), addr(arg)),
            true,
        ),
        Call::Recv { bufsize, flags } => {
            let args = match flags_text(*flags) {
                Some(flags) => format!("{bufsize}, {flags}"),
                None => bufsize.to_string(),
            };
            let lhs = (!flags.peek).then(|| "data".to_string());
            (lhs, args, true)
        }
        Call::RecvFrom { bufsize, flags } => {
            let args = match flags_text(*flags) {
                Some(flags) => format!("{bufsize}, {flags}"),
                None => bufsize.to_string(),
            };
            let lhs = (!flags.peek).then(|| "data, addr".to_string());
            (lhs, args, true)
        }
        Call::Shutdown(how) => (None, format!("socket.{}", how.python_name()), false),
        Call::Close | Call::GetSockName | Call::GetPeerName => {
            (None, String::new(), !matches!(record.call, Call::Close))
        }
        Call::SetOpt { name, value } => (
            None,
            format!(
                "socket.{}, socket.{}, {}",
                options::level_name(name),
                name.trim(),
                opt_value_text(name, value)
            ),
            false,
        ),
        Call::GetOpt { name } => {
            let linger = name.trim().eq_ignore_ascii_case("SO_LINGER");
            (
                None,
                format!(
                    "socket.{}, socket.{}{}",
                    options::level_name(name),
                    name.trim(),
                    if linger { ", 8" } else { "" }
                ),
                true,
            )
        }
        Call::SetBlocking(flag) => (None, if *flag { "True" } else { "False" }.into(), false),
        Call::SetTimeout(None) => (None, "None".into(), false),
        Call::SetTimeout(Some(ms)) => (None, format_seconds(*ms), false),
    };
    Parts {
        lhs,
        expr: format!("{sock}.{}({args})", record.call.name()),
        returns_value,
    }
}

/// What the call gave back, as a comment after the line: `-> 5`, `-> b'hello'`,
/// `ConnectionRefusedError: [Errno 111] ECONNREFUSED`.
pub fn result_comment(
    record: &CallRecord,
    names: &dyn Fn(SocketId) -> String,
    data: Option<&[u8]>,
) -> String {
    let Some(outcome) = &record.outcome else {
        return "... still waiting".to_string();
    };
    match outcome {
        Outcome::Ok(value) => format!(
            "-> {}",
            python_value(&record.call, record.from.as_ref(), value, names, data)
        ),
        Outcome::Errno(code) => format!(
            "{}: [Errno {code}] {}",
            python_exception(*code),
            errno::name(*code)
        ),
        Outcome::TimedOut { .. } => "TimeoutError: timed out".to_string(),
        // The exported Python stays English.
        Outcome::Cancelled(reason) => {
            crate::engine::explain::cancelled_in(Lang::En, *reason, &record.call)
        }
        Outcome::Invalid(message) => format!("refused before any syscall: {message}"),
    }
}

/// A call's value as Python shows it: `b'hi'`, `(b'37', ('127.0.0.1', 5000))`,
/// `(conn, ('127.0.0.1', 40000))`, `None`, `5` (a recv whose bytes are gone: `<5 bytes>`).
/// Every place that shows what a call returned writes the value with this: the Python view's
/// `# ->` comments, the script runner's timeline, the timeline's bars and the inspector's
/// result lines.
pub fn python_value(
    call: &Call,
    from: Option<&SocketAddress>,
    value: &Value,
    names: &dyn Fn(SocketId) -> String,
    data: Option<&[u8]>,
) -> String {
    match value {
        Value::Bytes(len) => {
            let bytes = match data {
                Some(data) => bytes_literal_short(data),
                None if *len == 0 => "b''".to_string(),
                None => format!("<{len} bytes>"),
            };
            match (call, from) {
                (Call::RecvFrom { .. }, Some(from)) => format!("({bytes}, {from})"),
                _ => bytes,
            }
        }
        Value::Accepted { child, peer } => format!("({}, {peer})", names(*child)),
        Value::None => "None".into(),
        Value::Int(value) => value.to_string(),
        Value::Address(address) => address.to_string(),
        Value::Text(text) => text.clone(),
    }
}

/// The equivalent Python 3 line of one call, with what it returned as a comment:
/// `data = conn.recv(1024)  # -> 5 bytes`. Without the received bytes (see
/// [`python_line_with_data`]) a recv shows only their count.
pub fn python_line(record: &CallRecord, names: &dyn Fn(SocketId) -> String) -> String {
    python_line_with_data(record, names, None)
}

/// [`python_line`] with the bytes a recv / recvfrom returned: `data = conn.recv(1024)  # -> b'hello'`.
pub fn python_line_with_data(
    record: &CallRecord,
    names: &dyn Fn(SocketId) -> String,
    data: Option<&[u8]>,
) -> String {
    let parts = call_parts(record, names, false, None);
    let code = match &parts.lhs {
        Some(lhs) => format!("{lhs} = {}", parts.expr),
        None => parts.expr,
    };
    format!("{code}  # {}", result_comment(record, names, data))
}

/// The bytes a recv / recvfrom call returned, if the session still retains them.
pub fn received_data(session: &Session, record: &CallRecord) -> Option<Vec<u8>> {
    received_bytes(session, record).map(<[u8]>::to_vec)
}

/// [`received_data`] without copying.
pub fn received_bytes<'a>(session: &'a Session, record: &CallRecord) -> Option<&'a [u8]> {
    if record.call.kind().direction() != Direction::In
        || !record.outcome.as_ref().is_some_and(Outcome::is_ok)
    {
        return None;
    }
    let chunks = &session.socket(record.socket)?.chunks;
    let call_id = record.call_id;
    // Chunks arrive in call order on one socket, so a binary search finds it; fall back to a
    // bounded scan if automatic chunks (no call id) or odd orders get in the way.
    let found = chunks
        .binary_search_by(|chunk| match chunk.call_id {
            Some(id) => id.cmp(&call_id),
            None => std::cmp::Ordering::Less,
        })
        .ok()
        .and_then(|at| chunks.get(at))
        .filter(|chunk| chunk.call_id == Some(call_id))
        .or_else(|| {
            chunks
                .iter()
                .rev()
                .take(4096)
                .find(|chunk| chunk.call_id == Some(call_id))
        })?;
    Some(&found.data)
}

/// `('127.0.0.1', 5000)` -> `('127.0.0.1', *)`: an address without its port, as the result
/// lines compare them (ports differ from run to run). The exported script's `addr_key` writes
/// Python's side the same way.
pub fn address_key(address: &SocketAddress) -> String {
    match address {
        SocketAddress::V4(_) | SocketAddress::V6(_) => {
            format!(
                "('{}', *)",
                address.ip().map(|ip| ip.to_string()).unwrap_or_default()
            )
        }
        SocketAddress::Path(path) => format!("'{path}'"),
        SocketAddress::Abstract(name) => format!("'\0{}'", String::from_utf8_lossy(name)),
        SocketAddress::Unnamed => "''".into(),
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The result of one call in the form the exported script prints it (`RESULT n <key>`):
/// `None`, `5`, `bytes:68656c6c6f`, `bytes:3337 from ('127.0.0.1', *)`,
/// `accepted ('127.0.0.1', *)`, `err ConnectionRefusedError 111`, `err TimeoutError None`.
/// `None` for calls the script does not replay (pending, cancelled, refused before a syscall).
pub fn result_key(record: &CallRecord, data: Option<&[u8]>) -> Option<String> {
    Some(match record.outcome.as_ref()? {
        Outcome::Ok(Value::None) => "None".into(),
        Outcome::Ok(Value::Int(value)) => value.to_string(),
        Outcome::Ok(Value::Bytes(_)) => {
            let bytes = data.map_or_else(|| "?".to_string(), hex);
            match (&record.call, &record.from) {
                (Call::RecvFrom { .. }, Some(from)) => {
                    format!("bytes:{bytes} from {}", address_key(from))
                }
                _ => format!("bytes:{bytes}"),
            }
        }
        Outcome::Ok(Value::Accepted { peer, .. }) => format!("accepted {}", address_key(peer)),
        Outcome::Ok(Value::Address(address)) => address_key(address),
        Outcome::Ok(Value::Text(text)) => text.clone(),
        Outcome::Errno(code) => format!("err {} {code}", python_exception(*code)),
        Outcome::TimedOut { .. } => "err TimeoutError None".into(),
        Outcome::Cancelled(_) | Outcome::Invalid(_) => return None,
    })
}

#[cfg(test)]
mod tests;
