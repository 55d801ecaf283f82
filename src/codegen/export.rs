//! The whole session as a runnable Python 3 script.
//!
//! Threading: the script runs the calls in the order they started. A call that was still
//! waiting when the next call of the session started (an accept pending while the client
//! connects, a recv pending while the peer sends) runs in a thread of its own: the thread is
//! started where the call started and joined where the call returned in the workbench. All
//! other calls run one after the other in the main thread. Automatic calls (auto-accept,
//! auto-receive, responders, floods) are replayed call by call, in their recorded order, in one
//! thread per socket; calls the workbench folded into summaries are only listed as comments.

use super::{
    Parts, call_parts, name_in, python_create_line, python_names, received_data, result_comment,
    result_key,
};
use crate::engine::event::AutoSummary;
use crate::engine::{
    AddrArg, Call, CallId, Origin, Outcome, SockType, SocketAddress, SocketId, Value,
};
use crate::session::{CallRecord, LogEntry, Session};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

/// How long the script waits for a threaded call at the point it returned in the workbench.
const JOIN_SECS: u32 = 10;
/// The script gives up (exit status 3) after this long, instead of hanging.
const WATCHDOG_SECS: u32 = 60;

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// Replayed in the main flow (or its own thread when `threaded`); `n` numbers its result.
    Main { n: usize, threaded: bool },
    /// An automatic call: replayed in its socket's automatic thread.
    Auto,
    /// Not replayed, with the reason.
    Skipped(&'static str),
}

/// What the script does, decided once and used by both the script and the expected results.
struct Plan<'a> {
    session: &'a Session,
    names: BTreeMap<SocketId, String>,
    /// Retained call records, in the order they started.
    records: Vec<&'a CallRecord>,
    kinds: Vec<Kind>,
    /// bind / connect / sendto whose address belongs to another socket of the session.
    targets: HashMap<CallId, SocketId>,
    /// Sockets whose run-time address the script keeps (`server_addr`), and the call after
    /// which it is read.
    addr_after: HashMap<CallId, SocketId>,
    have_addr: HashSet<SocketId>,
    /// Accepted sockets created by an automatic accept: (listener's auto thread sets
    /// `<name>_ready`).
    auto_children: HashSet<SocketId>,
    /// Sockets with calls replayed outside the automatic threads.
    main_uses: HashSet<SocketId>,
    /// Each socket's automatic calls (indices into `records`), in order.
    auto_calls: HashMap<SocketId, Vec<usize>>,
    main_count: usize,
}

fn replayable(record: &CallRecord) -> Result<(), &'static str> {
    match &record.outcome {
        None => Err("still waiting when exported"),
        Some(Outcome::Cancelled(_)) => Err(
            "cancelled by the workbench; a Python program has no cancel: there this call would still be waiting",
        ),
        Some(Outcome::Invalid(_)) => Err("the workbench refused it before any syscall"),
        Some(_) => Ok(()),
    }
}

fn wildcard(host: &str) -> bool {
    matches!(host, "" | "0.0.0.0" | "::" | "localhost")
}

fn hosts_match(a: &str, b: &str) -> bool {
    a == b || wildcard(a) || wildcard(b)
}

/// Addresses known to belong to sockets of the session.
#[derive(Default)]
struct Known {
    by_socket: HashMap<SocketId, Vec<(String, u32)>>,
}

impl Known {
    fn add(&mut self, socket: SocketId, host: String, port: u32) {
        if port == 0 {
            return;
        }
        let list = self.by_socket.entry(socket).or_default();
        if !list.iter().any(|(h, p)| *h == host && *p == port) {
            list.push((host, port));
        }
    }
    fn add_address(&mut self, socket: SocketId, address: &SocketAddress) {
        if let (Some(ip), Some(port)) = (address.ip(), address.port()) {
            self.add(socket, ip.to_string(), u32::from(port));
        }
    }
    fn knows(&self, socket: SocketId) -> bool {
        self.by_socket
            .get(&socket)
            .is_some_and(|list| !list.is_empty())
    }
}

impl<'a> Plan<'a> {
    fn new(session: &'a Session) -> Plan<'a> {
        let names = python_names(session);
        let mut records: Vec<&CallRecord> = session
            .log()
            .filter_map(|entry| match entry {
                LogEntry::Call(record) => Some(record),
                LogEntry::Auto(_) => None,
            })
            .collect();
        records.sort_by_key(|record| (record.started_us, record.call_id));

        let mut kinds = Vec::with_capacity(records.len());
        let mut n = 0;
        for record in &records {
            kinds.push(match replayable(record) {
                Err(reason) => Kind::Skipped(reason),
                Ok(()) if record.origin == Origin::Auto => Kind::Auto,
                Ok(()) => {
                    n += 1;
                    Kind::Main { n, threaded: false }
                }
            });
        }
        // Threaded: the next main call started before this one returned.
        let main_at: Vec<usize> = (0..records.len())
            .filter(|&at| matches!(kinds[at], Kind::Main { .. }))
            .collect();
        for pair in main_at.windows(2) {
            let (this, next) = (records[pair[0]], records[pair[1]]);
            if this
                .returned_us
                .is_some_and(|returned| next.started_us < returned)
                && let Kind::Main { threaded, .. } = &mut kinds[pair[0]]
            {
                *threaded = true;
            }
        }

        let auto_children = records
            .iter()
            .zip(&kinds)
            .filter(|(_, kind)| **kind == Kind::Auto)
            .filter_map(|(record, _)| match &record.outcome {
                Some(Outcome::Ok(Value::Accepted { child, .. })) => Some(*child),
                _ => None,
            })
            .collect();

        let main_uses = records
            .iter()
            .zip(&kinds)
            .filter(|(_, kind)| matches!(kind, Kind::Main { .. }))
            .map(|(record, _)| record.socket)
            .collect();
        let mut auto_calls: HashMap<SocketId, Vec<usize>> = HashMap::new();
        for (at, (record, kind)) in records.iter().zip(&kinds).enumerate() {
            if *kind == Kind::Auto {
                auto_calls.entry(record.socket).or_default().push(at);
            }
        }
        let mut plan = Plan {
            session,
            names,
            records,
            kinds,
            targets: HashMap::new(),
            addr_after: HashMap::new(),
            have_addr: HashSet::new(),
            auto_children,
            main_uses,
            auto_calls,
            main_count: n,
        };
        plan.resolve_addresses();
        plan
    }

    fn name(&self, id: SocketId) -> String {
        name_in(&self.names, id)
    }

    fn sock_type(&self, id: SocketId) -> Option<SockType> {
        self.session.socket(id).map(|view| view.sock_type)
    }

    fn is_child(&self, id: SocketId) -> bool {
        self.session
            .socket(id)
            .is_some_and(|view| view.parent.is_some())
    }

    /// The socket of the session that owns `host:port`, for a call by `caller`.
    fn owner(&self, known: &Known, caller: SocketId, host: &str, port: u32) -> Option<SocketId> {
        let sock_type = self.sock_type(caller)?;
        known.by_socket.iter().find_map(|(socket, list)| {
            let fits = *socket != caller
                && self.sock_type(*socket) == Some(sock_type)
                && !(sock_type == SockType::Stream && self.is_child(*socket))
                && list.iter().any(|(h, p)| *p == port && hosts_match(h, host));
            fits.then_some(*socket)
        })
    }

    fn inet_arg(record: &CallRecord) -> Option<(&str, u32)> {
        match &record.call {
            Call::Connect(AddrArg::Inet { host, port })
            | Call::SendTo {
                addr: AddrArg::Inet { host, port },
                ..
            } => Some((host.as_str(), *port)),
            _ => None,
        }
    }

    /// Works out which connect / sendto went to another socket of the session, so the script
    /// can use that socket's run-time address (ports of port-0 binds differ on every run).
    fn resolve_addresses(&mut self) {
        let mut known = Known::default();
        for view in self.session.sockets() {
            if let Some(local) = &view.local
                && view.parent.is_none()
            {
                known.add_address(view.id, local);
            }
        }
        for record in &self.records {
            match (&record.call, &record.outcome) {
                (Call::GetSockName, Some(Outcome::Ok(Value::Address(text))))
                    if !self.is_child(record.socket) =>
                {
                    known.add_address(record.socket, text);
                }
                (Call::Bind(AddrArg::Inet { host, port }), Some(Outcome::Ok(_))) => {
                    known.add(record.socket, host.clone(), *port);
                }
                _ => {}
            }
        }
        let mut targets = HashMap::new();
        // Twice: addresses learnt from accept / recvfrom (a client's ephemeral port) let a
        // later sendto back to that client be resolved.
        for _ in 0..2 {
            targets.clear();
            for record in &self.records {
                if let Some((host, port)) = Self::inet_arg(record)
                    && let Some(owner) = self.owner(&known, record.socket, host, port)
                {
                    targets.insert(record.call_id, owner);
                }
            }
            self.learn_from_peers(&mut known, &targets);
        }
        self.guess_unique(&known, &mut targets);

        // Where each target's run-time address is read: after the first call that gives it
        // an address.
        let wanted: HashSet<SocketId> = targets.values().copied().collect();
        for (record, kind) in self.records.iter().zip(&self.kinds) {
            if matches!(kind, Kind::Skipped(_)) {
                continue;
            }
            let gives = match (&record.call, &record.outcome) {
                (
                    Call::Bind(_) | Call::Listen { .. } | Call::Connect(_) | Call::SendTo { .. },
                    Some(Outcome::Ok(_)),
                ) => record.socket,
                (Call::Accept, Some(Outcome::Ok(Value::Accepted { child, .. }))) => *child,
                _ => continue,
            };
            if wanted.contains(&gives) && self.have_addr.insert(gives) {
                self.addr_after.insert(record.call_id, gives);
            }
        }
        targets.retain(|_, socket| self.have_addr.contains(socket));
        self.targets = targets;
    }

    /// accept's peer is the connecting client's address; recvfrom's sender is the socket that
    /// sent to this one. Taken in order (first connect for the first accept).
    fn learn_from_peers(&self, known: &mut Known, targets: &HashMap<CallId, SocketId>) {
        // Per (target, is-connect): the senders in the order they started (records are).
        let mut queues: HashMap<(SocketId, bool), VecDeque<&CallRecord>> = HashMap::new();
        for record in &self.records {
            let is_connect = match record.call {
                Call::Connect(_) => true,
                Call::SendTo { .. } => false,
                _ => continue,
            };
            if let Some(target) = targets.get(&record.call_id) {
                queues
                    .entry((*target, is_connect))
                    .or_default()
                    .push_back(record);
            }
        }
        let mut by_return: Vec<&&CallRecord> = self.records.iter().collect();
        by_return.sort_by_key(|record| record.returned_us);
        for record in by_return {
            let (peer, is_connect) = match (&record.call, &record.outcome) {
                (Call::Accept, Some(Outcome::Ok(Value::Accepted { peer, .. }))) => (peer, true),
                (Call::RecvFrom { .. }, Some(Outcome::Ok(_))) => match &record.from {
                    Some(from) => (from, false),
                    None => continue,
                },
                _ => continue,
            };
            let returned = record.returned_us.unwrap_or(u64::MAX);
            let Some(queue) = queues.get_mut(&(record.socket, is_connect)) else {
                continue;
            };
            // The earliest sender not yet matched, if it started before this returned.
            if queue
                .front()
                .is_some_and(|sender| sender.started_us <= returned)
                && let Some(sender) = queue.pop_front()
                && !known.knows(sender.socket)
            {
                known.add_address(sender.socket, peer);
            }
        }
    }

    /// A successful connect / sendto to an address no socket is known to own: if exactly one
    /// socket of the session could have received it (bound to port 0 and never asked for its
    /// address), it went there.
    fn guess_unique(&self, known: &Known, targets: &mut HashMap<CallId, SocketId>) {
        // When each socket could first receive: listen (stream) or bind (datagram) succeeded.
        let mut ready_at: HashMap<SocketId, u64> = HashMap::new();
        for record in &self.records {
            let receives = matches!(
                (self.sock_type(record.socket), &record.call),
                (Some(SockType::Stream), Call::Listen { .. })
                    | (Some(SockType::Datagram), Call::Bind(_))
            );
            if receives && record.outcome.as_ref().is_some_and(Outcome::is_ok) {
                ready_at.entry(record.socket).or_insert(record.started_us);
            }
        }
        let unknown: Vec<(SocketId, SockType, u64)> = self
            .session
            .sockets()
            .filter(|view| view.parent.is_none() && !known.knows(view.id))
            .filter_map(|view| Some((view.id, view.sock_type, *ready_at.get(&view.id)?)))
            .collect();
        if unknown.is_empty() {
            return;
        }
        for record in &self.records {
            if targets.contains_key(&record.call_id)
                || !record.outcome.as_ref().is_some_and(Outcome::is_ok)
                || Self::inet_arg(record).is_none()
            {
                continue;
            }
            let Some(sock_type) = self.sock_type(record.socket) else {
                continue;
            };
            let mut candidates = unknown.iter().filter(|(id, kind, ready)| {
                *id != record.socket && *kind == sock_type && *ready <= record.started_us
            });
            if let (Some((only, _, _)), None) = (candidates.next(), candidates.next()) {
                targets.insert(record.call_id, *only);
            }
        }
    }

    fn data(&self, record: &CallRecord) -> Option<Vec<u8>> {
        received_data(self.session, record)
    }

    /// The call's code, with the address argument replaced by the target's run-time address.
    fn parts(&self, record: &CallRecord) -> Parts {
        let names = |id: SocketId| self.name(id);
        let address = self.targets.get(&record.call_id).and_then(|target| {
            let (host, _) = Self::inet_arg(record)?;
            Some(format!("('{host}', {}_addr[1])", self.name(*target)))
        });
        call_parts(record, &names, true, address.as_deref())
    }

    fn comment(&self, record: &CallRecord) -> String {
        let names = |id: SocketId| self.name(id);
        let data = self.data(record);
        let mut text = result_comment(record, &names, data.as_deref());
        if let Some(target) = self.targets.get(&record.call_id)
            && let Some((host, port)) = Self::inet_arg(record)
        {
            let _ = write!(
                text,
                " (recorded address ('{host}', {port}) is {}'s)",
                self.name(*target)
            );
        }
        text
    }

    /// Lines of one call, indented, recording its result as number `n` (None: automatic,
    /// result only as a comment). Returns the names the lines assign.
    fn call_lines(&self, out: &mut Lines, record: &CallRecord, n: Option<usize>) -> Vec<String> {
        let parts = self.parts(record);
        let comment = self.comment(record);
        let mut assigned = Vec::new();
        if let (Call::Bind(AddrArg::Path(path)), Some(Outcome::Ok(_))) =
            (&record.call, &record.outcome)
        {
            // The bind worked in the workbench, so no file was there then; the workbench's
            // own socket file may be left over now.
            let path = AddrArg::Path(path.clone());
            out.line(format!(
                "if os.path.exists({path}):  # left over from an earlier run"
            ));
            out.line(format!("    os.unlink({path})"));
        }
        match (&parts.lhs, n) {
            (Some(lhs), _) => {
                out.line(format!("{lhs} = {}  # {comment}", parts.expr));
                // `data` and `addr` stay local in a thread (only sockets and addresses are
                // shared), so threads never overwrite each other's results.
                assigned.extend(
                    lhs.split(", ")
                        .filter(|name| !matches!(*name, "data" | "addr"))
                        .map(str::to_string),
                );
                if let Some(n) = n {
                    let value = if lhs.contains(',') {
                        format!("({lhs})")
                    } else {
                        lhs.clone()
                    };
                    out.line(format!("ok({n}, {value})"));
                }
            }
            (None, Some(n)) if parts.returns_value => {
                out.line(format!("ok({n}, {})  # {comment}", parts.expr));
            }
            (None, Some(n)) => {
                out.line(format!("{}  # {comment}", parts.expr));
                out.line(format!("ok({n}, None)"));
            }
            (None, None) => out.line(format!("{}  # {comment}", parts.expr)),
        }
        if let Some(socket) = self.addr_after.get(&record.call_id) {
            let name = self.name(*socket);
            out.line(format!(
                "{name}_addr = {name}.getsockname()  # its address in this run (the port may differ)"
            ));
            assigned.push(format!("{name}_addr"));
        }
        // An automatic accept: start the new connection's own automatic thread, tell the
        // main flow it exists.
        if n.is_none()
            && let Some(Outcome::Ok(Value::Accepted { child, .. })) = &record.outcome
        {
            let child_name = self.name(*child);
            if self.has_auto(*child) {
                out.line(format!(
                    "threading.Thread(target=auto_{child_name}, daemon=True).start()"
                ));
            }
            if self.main_uses.contains(child) {
                out.line(format!("{child_name}_ready.set()"));
            }
        }
        assigned
    }

    /// The try/except block of one replayed call.
    fn main_block(&self, out: &mut Lines, record: &CallRecord, n: usize) -> Vec<String> {
        if self.auto_children.contains(&record.socket) && self.main_uses.contains(&record.socket) {
            out.line(format!(
                "{}_ready.wait({JOIN_SECS})",
                self.name(record.socket)
            ));
        }
        out.line("try:");
        out.indent += 1;
        let assigned = self.call_lines(out, record, Some(n));
        out.indent -= 1;
        out.line("except OSError as e:");
        out.indent += 1;
        out.line(format!("err({n}, e)"));
        out.indent -= 1;
        assigned
    }

    fn has_auto(&self, socket: SocketId) -> bool {
        self.auto_calls.contains_key(&socket)
    }

    /// `def auto_conn(): ...` for one socket's automatic calls (and, first, those of the
    /// connections its automatic accepts create).
    fn auto_function(&self, out: &mut Lines, socket: SocketId, defined: &mut HashSet<SocketId>) {
        if !defined.insert(socket) {
            return;
        }
        let calls: Vec<&CallRecord> = self
            .auto_calls
            .get(&socket)
            .map(|list| list.iter().map(|at| self.records[*at]).collect())
            .unwrap_or_default();
        for record in &calls {
            if let Some(Outcome::Ok(Value::Accepted { child, .. })) = &record.outcome
                && self.has_auto(*child)
            {
                self.auto_function(out, *child, defined);
            }
        }
        let name = self.name(socket);
        out.line(format!(
            "# {name}: what the workbench did by itself (auto-accept / auto-receive / responder),"
        ));
        out.line("# replayed call by call in this thread; results are not checked.");
        out.line(format!("def auto_{name}():"));
        out.indent += 1;
        let mut body = Lines {
            indent: out.indent + 1,
            ..Lines::default()
        };
        let mut assigned: Vec<String> = Vec::new();
        for record in &calls {
            for name in self.call_lines(&mut body, record, None) {
                if !assigned.contains(&name) {
                    assigned.push(name);
                }
            }
        }
        if !assigned.is_empty() {
            out.line(format!("global {}", assigned.join(", ")));
        }
        out.line("try:");
        out.text.push_str(&body.text);
        out.line("except OSError as e:");
        out.indent += 1;
        out.line(format!(
            "print('automatic calls of {name} stopped:', e, file=sys.stderr)"
        ));
        out.indent -= 2;
        out.blank();
    }
}

/// Text with an indentation level (4 spaces each).
#[derive(Default)]
struct Lines {
    text: String,
    indent: usize,
}

impl Lines {
    fn line(&mut self, line: impl AsRef<str>) {
        for _ in 0..self.indent {
            self.text.push_str("    ");
        }
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }
    fn blank(&mut self) {
        self.text.push('\n');
    }
}

/// Where a socket's automatic thread starts: when its automation was switched on, not at its
/// first automatic call. The engine starts an automatic accept or recv only once the kernel has
/// something for it, which may be after a main-thread call that waits for its answer (a client
/// recv waiting for the echo): starting the thread that late would leave the script stuck.
/// Never before the socket's own earlier calls have returned (an accept needs the listen).
fn auto_thread_start_us(
    plan: &Plan,
    session: &Session,
    socket: SocketId,
    first_auto_us: u64,
) -> u64 {
    let switched_on_us = session
        .socket(socket)
        .and_then(|view| view.automation_first_on_us)
        .unwrap_or(first_auto_us);
    let own_calls_done_us = plan
        .records
        .iter()
        .zip(&plan.kinds)
        .filter(|(record, kind)| {
            record.socket == socket
                && !matches!(kind, Kind::Auto)
                && record.started_us < first_auto_us
        })
        .filter_map(|(record, _)| record.returned_us)
        .max()
        .unwrap_or(0);
    switched_on_us.max(own_calls_done_us).min(first_auto_us)
}

fn push<'a>(at: u64, step: Step<'a>, steps: &mut Vec<(u64, u8, usize, Step<'a>)>) {
    let seq = steps.len();
    steps.push((at, step.rank(), seq, step));
}

/// One step of the script, at the time it happened in the workbench.
enum Step<'a> {
    /// A threaded call returned: join its thread.
    Join(usize),
    Summary(&'a AutoSummary),
    Create(SocketId),
    AutoStart(SocketId),
    /// A call started (replayed, threaded, or only a comment).
    Start(usize),
}

impl Step<'_> {
    fn rank(&self) -> u8 {
        match self {
            Step::Join(_) => 0,
            Step::Summary(_) => 1,
            Step::Create(_) => 2,
            Step::AutoStart(_) => 3,
            Step::Start(_) => 4,
        }
    }
}

const HELPERS: &str = r#"RESULTS = {}


def addr_key(a):
    """An address without its port: ports change from run to run."""
    if isinstance(a, tuple):
        return "('%s', *)" % a[0]
    if isinstance(a, bytes):
        a = a.decode('utf-8', 'replace')
    return "'%s'" % a


def key(value):
    """What a call returned, written the way the workbench's results are."""
    if value is None:
        return 'None'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return 'bytes:' + value.hex()
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], socket.socket):
        return 'accepted ' + addr_key(value[1])
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes):
        return 'bytes:%s from %s' % (value[0].hex(), addr_key(value[1]))
    return addr_key(value)


def ok(n, value):
    RESULTS[n] = key(value)


def err(n, e):
    RESULTS[n] = 'err %s %s' % (type(e).__name__, e.errno)


def watchdog():
    time.sleep(WATCHDOG)
    print('stuck: a call waits for something this run does not have; giving up',
          file=sys.stderr, flush=True)
    os._exit(3)


threading.Thread(target=watchdog, daemon=True).start()
"#;

/// A runnable Python 3 script (standard library only) that repeats the session: the sockets
/// are created, and the calls made, in the order they started. See the module documentation
/// for how concurrent calls, port 0 and automatic behaviour are handled. At the end the script
/// prints `RESULT <n> <result>` for every replayed call; [`expected_results`] gives the lines
/// the workbench saw.
pub fn export_python(session: &Session) -> String {
    let plan = Plan::new(session);
    let mut out = Lines::default();
    write_preamble(&mut out, session, &plan);
    let mut defined: HashSet<SocketId> = HashSet::new();
    for (_, _, _, step) in &steps_in_time_order(session, &plan) {
        write_step(&mut out, session, &plan, step, &mut defined);
    }
    write_results(&mut out, &plan);
    out.text
}

/// What the script says about itself, its imports, its helpers.
fn write_preamble(out: &mut Lines, session: &Session, plan: &Plan<'_>) {
    out.line("#!/usr/bin/env python3");
    out.line(
        "# Exported by Socket Workbench: this session's socket calls, in the order they started.",
    );
    out.line("# Run with: python3 <this file>   (Python 3.8 or newer, standard library only)");
    out.line("#");
    out.line("# Each call is followed by a comment saying what it returned in the workbench.");
    out.line("# Threads: a call that was still waiting when the next call started (an accept");
    out.line("# waiting for a client, a recv waiting for data) runs in a thread of its own,");
    out.line("# started where the call started and joined where it returned in the workbench.");
    out.line("# Every other call runs here, one after the other.");
    out.line("# Ports: a socket bound to port 0 gets a new port on every run, so connect() and");
    out.line("# sendto() to another socket of this session use that socket's address now");
    out.line("# (<name>_addr, read with getsockname()), not the port recorded.");
    out.line("# Automatic behaviour (auto-accept, auto-receive, responders) is replayed call by");
    out.line("# call in one thread per socket; calls the workbench only counted are listed as");
    out.line("# comments and not replayed.");
    out.line("# At the end the script prints 'RESULT <call number> <what it returned>'.");
    if session.dropped_log_entries() > 0 {
        out.line(format!(
            "# Note: the {} oldest log entries were dropped by the log cap and are missing here.",
            session.dropped_log_entries()
        ));
    }
    out.blank();
    out.line("import os");
    out.line("import socket");
    out.line("import struct");
    out.line("import sys");
    out.line("import threading");
    out.line("import time");
    out.blank();
    out.line(format!(
        "WATCHDOG = {WATCHDOG_SECS}  # seconds before the script gives up"
    ));
    out.text.push_str(HELPERS);
    let mut ready: Vec<String> = plan
        .auto_children
        .iter()
        .filter(|child| plan.main_uses.contains(child))
        .map(|child| format!("{}_ready = threading.Event()", plan.name(*child)))
        .collect();
    ready.sort();
    for line in ready {
        out.line(line);
    }
    out.blank();
}

/// Sockets made, calls started and joined, automatic threads started, summaries: in the order
/// they happened.
fn steps_in_time_order<'a>(
    session: &'a Session,
    plan: &Plan<'a>,
) -> Vec<(u64, u8, usize, Step<'a>)> {
    let mut steps: Vec<(u64, u8, usize, Step)> = Vec::new();
    for view in session.sockets() {
        if view.parent.is_none() {
            push(view.opened_us, Step::Create(view.id), &mut steps);
        }
    }
    let mut auto_started: HashSet<SocketId> = HashSet::new();
    for (at, (record, kind)) in plan.records.iter().zip(&plan.kinds).enumerate() {
        match kind {
            Kind::Auto => {
                if !plan.auto_children.contains(&record.socket)
                    && auto_started.insert(record.socket)
                {
                    push(
                        auto_thread_start_us(plan, session, record.socket, record.started_us),
                        Step::AutoStart(record.socket),
                        &mut steps,
                    );
                }
            }
            Kind::Main { threaded, .. } => {
                push(record.started_us, Step::Start(at), &mut steps);
                if *threaded && let Some(returned) = record.returned_us {
                    push(returned, Step::Join(at), &mut steps);
                }
            }
            Kind::Skipped(_) => push(record.started_us, Step::Start(at), &mut steps),
        }
    }
    for entry in session.log() {
        if let LogEntry::Auto(summary) = entry {
            push(summary.from_us, Step::Summary(summary), &mut steps);
        }
    }
    steps.sort_by_key(|(at, rank, seq, _)| (*at, *rank, *seq));

    steps
}

/// The Python for one step.
fn write_step(
    out: &mut Lines,
    session: &Session,
    plan: &Plan<'_>,
    step: &Step<'_>,
    defined: &mut HashSet<SocketId>,
) {
    match step {
        Step::Create(id) => {
            if let Some(view) = session.socket(*id) {
                out.blank();
                out.line(python_create_line(view, &plan.name(*id)));
            }
        }
        Step::Summary(summary) => {
            out.line(format!(
                "# [automatic, only counted] {}: {} recv calls ({} bytes), {} send calls ({} bytes), {} errors: not replayed",
                plan.name(summary.socket),
                summary.recv_calls,
                summary.recv_bytes,
                summary.send_calls,
                summary.send_bytes,
                summary.errors
            ));
        }
        Step::AutoStart(id) => {
            out.blank();
            plan.auto_function(out, *id, defined);
            out.line(format!(
                "threading.Thread(target=auto_{}, daemon=True).start()",
                plan.name(*id)
            ));
            out.blank();
        }
        Step::Start(at) => {
            let record = plan.records[*at];
            match &plan.kinds[*at] {
                Kind::Skipped(reason) => {
                    let parts = plan.parts(record);
                    out.line(format!(
                        "# [not replayed: {reason}] {}  # {}",
                        parts.expr,
                        plan.comment(record)
                    ));
                }
                Kind::Main { n, threaded: false } => {
                    plan.main_block(out, record, *n);
                }
                Kind::Main { n, threaded: true } => {
                    out.blank();
                    out.line(format!(
                        "# call {n} was still waiting when the next call started: its own thread"
                    ));
                    out.line(format!("def call_{n}():"));
                    let mut body = Lines {
                        indent: 1,
                        ..Lines::default()
                    };
                    let assigned = plan.main_block(&mut body, record, *n);
                    if !assigned.is_empty() {
                        out.line(format!("    global {}", assigned.join(", ")));
                    }
                    out.text.push_str(&body.text);
                    out.blank();
                    out.blank();
                    out.line(format!(
                        "t{n} = threading.Thread(target=call_{n}, daemon=True)"
                    ));
                    out.line(format!("t{n}.start()"));
                    out.line("time.sleep(0.05)  # let the thread get into its call");
                    out.blank();
                }
                Kind::Auto => {}
            }
        }
        Step::Join(at) => {
            if let Kind::Main { n, .. } = plan.kinds[*at] {
                let parts = plan.parts(plan.records[*at]);
                out.line(format!(
                    "t{n}.join({JOIN_SECS})  # {} returned here in the workbench",
                    parts.expr
                ));
            }
        }
    }
}

/// The closing lines: print every call's result.
fn write_results(out: &mut Lines, plan: &Plan<'_>) {
    out.blank();
    out.line(format!("CALLS = {}", plan.main_count));
    out.line("print('--- results: RESULT <call number> <what it returned> ---')");
    out.line("for n in range(1, CALLS + 1):");
    out.line(
        "    print('RESULT %d %s' % (n, RESULTS.get(n, 'no result (still waiting)')), flush=True)",
    );
    out.line("os._exit(0)  # do not wait for automatic threads still blocked in a call");
}

/// The `RESULT <n> <result>` lines the exported script should print: what the workbench saw,
/// with ports left out of addresses (they change from run to run).
pub fn expected_results(session: &Session) -> Vec<String> {
    let plan = Plan::new(session);
    plan.records
        .iter()
        .zip(&plan.kinds)
        .filter_map(|(record, kind)| match kind {
            Kind::Main { n, .. } => {
                let data = plan.data(record);
                let key = result_key(record, data.as_deref())?;
                Some(format!("RESULT {n} {key}"))
            }
            _ => None,
        })
        .collect()
}
