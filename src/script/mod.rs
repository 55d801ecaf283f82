//! Scenario scripts: a small TOML format in which a person (or a lesson) writes socket calls in
//! Python notation, one action per string, grouped into narrated steps.
//!
//! ```toml
//! title = "TCP hello"
//! timeout_ms = 5000          # optional: the longest wait for any one call
//!
//! [[step]]
//! say = "The server listens."
//! do = [
//!   "server = socket(AF_INET, SOCK_STREAM)",
//!   "server.bind(('127.0.0.1', 0))",
//!   "server.listen(5)",
//!   "&conn = server.accept()",          # '&': start it and go on
//! ]
//! [[step]]
//! say = "A client connects."
//! do = [
//!   "client = socket()",
//!   "client.connect(server)        => None",
//!   "await server.accept           => ok",
//!   "client.send(b'hello')         => 5",
//!   "conn.recv(1024)               => b'hello'",
//! ]
//! ```
//!
//! [`parse`] turns the text into a [`Script`] (every error carries the file line and column;
//! [`parse_in`] words it in a chosen language);
//! [`Runner`] performs it on a real [`crate::engine::Engine`], one step at a time if wanted;
//! [`run_file`] is the headless `socket-workbench run FILE`. The full reference is
//! `docs-runner.md` at the repository root.

mod headless;
mod lex;
mod parse;
mod run;
mod trust;

pub use parse::{parse, parse_in};
pub use trust::{Reach, ReachKind, reaches};

/// The largest script, lesson or workspace file read (bytes): far beyond any real one.
pub const MAX_SCRIPT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a script or lesson file as text, an error worded in English (see [`read_text_in`]).
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    read_text_in(Lang::En, path)
}

/// Reads a script or lesson file as text. Invalid UTF-8 is refused with where it is:
/// `FILE:LINE:COL: invalid UTF-8 (byte 0xff)`; an unreadable file with the OS's reason. The
/// message after `FILE:` is in `lang` (the OS's reason as the OS words it).
pub fn read_text_in(lang: Lang, path: &std::path::Path) -> Result<String, String> {
    let shown = path.display();
    // A file from elsewhere may be anything: one far larger than any script is refused
    // before it is read.
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.len() > MAX_SCRIPT_BYTES
    {
        let message = t!(
            lang,
            "script-file-too-large",
            size = metadata.len().to_string(),
            max = MAX_SCRIPT_BYTES.to_string()
        );
        return Err(format!("{shown}: {message}"));
    }
    let bytes = std::fs::read(path).map_err(|error| {
        let message = t!(lang, "script-file-cannot-read", error = error.to_string());
        format!("{shown}: {message}")
    })?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let bad = error.as_bytes().get(valid.len()).copied().unwrap_or(0);
        // The valid part is UTF-8, so lines and columns can be counted in characters.
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let message = t!(
            lang,
            "script-file-invalid-utf8",
            byte = format!("0x{bad:02x}")
        );
        format!("{shown}:{line}:{column}: {message}")
    })
}
pub use headless::{Runner, run_file, run_script, run_text};
pub use run::{Failure, Progress, RunReport, ScriptRun, StepReport};

use crate::engine::{Automation, Call, CallKind, Family, SockType};
use crate::i18n::{Lang, LocalText};
use crate::t;

/// A parsed scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    /// `title = "..."` (or `title.en`, `title.zh`); empty when the file has none.
    pub title: LocalText,
    /// `intro = "..."`: shown before the first step.
    pub intro: Option<LocalText>,
    /// The longest the runner waits for any one call, kernel snapshot or `await` (default
    /// 5000). `sleep` / `stay` are not bounded by it.
    pub timeout_ms: u64,
    /// `show = ["conn", "client"]`: in the window, the sockets shown side by side.
    pub show: Vec<String>,
    /// `stage = [...]`: what the presenter layout shows for a step that names nothing itself.
    pub stage: Vec<StageView>,
    /// `own_network = true`: the script's sockets talk only to each other, so where capturing
    /// the wire needs a privilege this process lacks, they are made in a private network
    /// namespace (its own loopback), where capture needs none.
    pub own_network: bool,
    pub steps: Vec<Step>,
}

/// One view on the presenter stage (`stage = ["timeline conn client", "kernel conn"]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageView {
    /// `timeline` (the script's sockets) or `timeline A B`: those sockets' lanes, fitted to the
    /// step.
    Timeline(Vec<String>),
    /// `kernel NAME`: the socket's kernel gauges (queues, buffers, TCP state).
    Kernel(String),
    /// `received NAME`: the socket's received chunks.
    Received(String),
    /// `system`: the system socket table, filtered to the script's ports.
    System,
    /// `python`: the Python of the step's calls.
    Python,
    /// `calls`: the call table.
    Calls,
    /// `wire`: the wire's segment table.
    Wire,
}

impl StageView {
    /// The socket names the view refers to.
    pub fn names(&self) -> &[String] {
        match self {
            StageView::Timeline(names) => names,
            StageView::Kernel(name) | StageView::Received(name) => std::slice::from_ref(name),
            StageView::System | StageView::Python | StageView::Calls | StageView::Wire => &[],
        }
    }
}

impl Script {
    /// What the presenter layout shows for step `index`: the step's own stage, else the
    /// script's, else the timeline of the script's sockets with the kernel gauges of the
    /// sockets the step asks the kernel about (or, when it asks about none, of the first two
    /// sockets it calls).
    pub fn stage_of(&self, index: usize) -> Vec<StageView> {
        let Some(step) = self.steps.get(index) else {
            return Vec::new();
        };
        if !step.stage.is_empty() {
            return step.stage.clone();
        }
        if !self.stage.is_empty() {
            return self.stage.clone();
        }
        let mut asked: Vec<&str> = Vec::new();
        let mut called: Vec<&str> = Vec::new();
        let mut system = false;
        for action in &step.actions {
            match &action.kind {
                ActionKind::Kernel { socket } => push_once(&mut asked, socket),
                ActionKind::Call { socket, .. } => push_once(&mut called, socket),
                ActionKind::System { .. } => system = true,
                _ => {}
            }
        }
        let gauges = if asked.is_empty() { called } else { asked };
        std::iter::once(StageView::Timeline(Vec::new()))
            .chain(
                gauges
                    .into_iter()
                    .take(2)
                    .map(|name| StageView::Kernel(name.to_string())),
            )
            .chain(system.then_some(StageView::System))
            .collect()
    }

    /// The step that makes the script's point: the one marked `key = true`, else the last.
    pub fn key_step(&self) -> usize {
        self.steps
            .iter()
            .position(|step| step.key)
            .unwrap_or(self.steps.len().saturating_sub(1))
    }
}

fn push_once<'a>(names: &mut Vec<&'a str>, name: &'a str) {
    if !names.contains(&name) {
        names.push(name);
    }
}

/// Default of [`Script::timeout_ms`].
pub const DEFAULT_TIMEOUT_MS: u64 = 5000;

/// One `[[step]]`: a narration and the actions performed when the step runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// `say = "..."` (or `say.en`, `say.zh`): shown as the step's header.
    pub say: Option<LocalText>,
    /// Line of the step's `[[step]]` header in the file (1-based).
    pub line: usize,
    pub actions: Vec<Action>,
    /// `stage = [...]`: what the presenter layout shows (empty: the script's, or the default).
    pub stage: Vec<StageView>,
    /// `key = true`: the step that makes the script's point (its screenshot).
    pub key: bool,
}

/// One string of a step's `do` list.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Where the action's text begins in the file (1-based line and column).
    pub line: usize,
    pub column: usize,
    /// The action as written (comments included).
    pub text: String,
    pub kind: ActionKind,
    /// What must hold after `=>`; empty when the action has no `=>`.
    pub expect: Vec<Expectation>,
}

/// Points at one action: `script.steps[step].actions[index]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActionRef {
    pub step: usize,
    pub index: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ActionKind {
    /// `name = socket(AF_INET, SOCK_STREAM)`
    Create {
        name: String,
        family: Family,
        sock_type: SockType,
    },
    /// `[&][targets =] socket.call(args)`
    Call {
        socket: String,
        call: CallSpec,
        /// `&`: start the call and go on; `await` (or the end of the script) collects it.
        background: bool,
        /// Names given to what the call returns: accept -> (socket, address), recv -> bytes,
        /// recvfrom -> (bytes, address), getsockname/getpeername -> address. `_` = unnamed.
        targets: Vec<String>,
    },
    /// `await server` / `await server.accept` / `await conn` (a name the call assigns).
    Await {
        socket: String,
        call: Option<CallKind>,
        /// The `&` action this waits for (resolved when parsing).
        target: ActionRef,
    },
    /// `name.cancel()`: ends the socket's pending calls as cancelled.
    Cancel { socket: String },
    /// `name.auto(accept, receive, respond='echo', flood=1000000, to=peer, chunk=1024)`
    Auto {
        socket: String,
        automation: Automation,
        /// `to=NAME`: the flood's destination is that socket's (or address variable's)
        /// address, filled in at run time.
        flood_to: Option<String>,
    },
    /// `name.kernel()`: a kernel snapshot (queues, buffers, TCP state).
    Kernel { socket: String },
    /// `system(ADDR)`: the system socket table's rows whose local address is ADDR (a socket's
    /// own address, kept after it closed, or an address variable): TIME_WAIT entries, a
    /// listener's wildcard address.
    System { addr: AddrRef },
    /// `wire on` / `wire off`: capture the segments of the script's sockets on loopback.
    Wire { on: bool },
    /// `wire(A, B) => syn == 1, rst >= 1`: counts of the segments between A and B (A's and
    /// B's accepted connections included) since the step began; `wire(A)`: to or from A.
    WireCheck { sockets: Vec<String> },
    /// `os.unlink(PATH)`: remove a Unix socket's file (only a socket file; anything else is
    /// refused).
    Unlink { path: String },
    /// `sleep 200ms`: let time pass (events keep arriving and are shown).
    Sleep { ms: u64 },
    /// `stay 30s`: keep running so automatic servers serve; `stay` alone: until interrupted.
    Stay { ms: Option<u64> },
}

/// A call as written. When `addr_from` / `data_from` is set, the call's address / data is a
/// placeholder that the runner fills in from that name (a socket's own address, or a variable
/// assigned by an earlier call) when the action runs.
#[derive(Clone, Debug, PartialEq)]
pub struct CallSpec {
    pub call: Call,
    pub addr_from: Option<String>,
    pub data_from: Option<String>,
}

/// One comma-separated item after `=>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    /// Where the item is in the file (1-based).
    pub line: usize,
    pub column: usize,
    /// The item as written, e.g. `blocks >= 200ms`.
    pub text: String,
    pub check: Check,
}

/// Comparison operators of expectations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Ge => ">=",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Lt => "<",
        }
    }
    pub fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            CmpOp::Eq => left == right,
            CmpOp::Ne => left != right,
            CmpOp::Ge => left >= right,
            CmpOp::Le => left <= right,
            CmpOp::Gt => left > right,
            CmpOp::Lt => left < right,
        }
    }
}

/// An address in an expectation or argument: literal, or a name resolved at run time.
#[derive(Clone, Debug, PartialEq)]
pub enum AddrRef {
    Literal(crate::engine::AddrArg),
    /// A socket (its own address) or an address variable.
    Name(String),
}

/// A value compared with a kernel snapshot field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Int(i64),
    /// A name such as `LISTEN` or `ESTABLISHED` (compared ignoring case).
    Name(String),
}

/// What `port ...` compares the returned port with.
#[derive(Clone, Debug, PartialEq)]
pub enum PortCheck {
    Cmp {
        op: CmpOp,
        value: u32,
    },
    /// `port in ephemeral`: inside /proc/sys/net/ipv4/ip_local_port_range, read when checked.
    Ephemeral,
}

/// What an expectation checks.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// `5`, `value >= 4096`: the return value (for recv: the number of bytes).
    Value {
        op: CmpOp,
        value: i64,
    },
    /// `len == 5`: bytes moved by the call (also for a partial send that then failed).
    Moved {
        op: CmpOp,
        value: i64,
    },
    /// `b'hello'`: recv's bytes, exactly.
    Data(Vec<u8>),
    /// `'text'`: a text value (getsockopt(SO_LINGER), an address as text).
    Text(String),
    /// `ECONNREFUSED`: the call failed with this errno (aliases like EAGAIN compare by code).
    Errno {
        name: String,
        code: i32,
    },
    Ok,
    /// `None`: the call returned None (bind, connect, close, ...).
    NoneValue,
    Timeout,
    Cancelled,
    /// recv returned b'' (the peer closed).
    Eof,
    /// A datagram longer than the buffer was cut.
    Truncated,
    /// `blocks`: the call had to wait; `blocks >= 200ms`: and for how long (microseconds).
    Blocks(Option<(CmpOp, u64)>),
    /// `('127.0.0.1', 8080)` or `client` after getsockname/getpeername/accept.
    Address {
        op: CmpOp,
        addr: AddrRef,
    },
    /// `port >= 1024`, `port in ephemeral` after getsockname/getpeername/accept: the port of
    /// the address returned.
    Port(PortCheck),
    /// `host == '127.0.0.1'`: the IP of the address returned (any port).
    Host {
        op: CmpOp,
        host: String,
    },
    /// `from == client`: recvfrom's sender.
    From {
        op: CmpOp,
        addr: AddrRef,
    },
    /// `state == LISTEN`, `accept_queue >= 1` after kernel().
    Kernel {
        field: String,
        op: CmpOp,
        value: FieldValue,
    },
}

/// A malformed script: where (1-based line and column in the file) and what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ScriptError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ScriptError {
    /// The error as a compiler would print it: `FILE:LINE:COL: message`, the source line, and
    /// a caret under the column.
    pub fn render(&self, file: &str, source: &str) -> String {
        let mut text = format!("{file}:{}:{}: {}", self.line, self.column, self.message);
        if let Some(line) = source.lines().nth(self.line.saturating_sub(1)) {
            let shown: String = line.chars().take(200).collect();
            let caret_at = self.column.saturating_sub(1).min(shown.chars().count());
            let pad: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            text.push_str(&format!("\n    {shown}\n    {pad}^"));
        }
        text
    }
}
