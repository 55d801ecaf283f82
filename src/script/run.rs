//! A [`Script`] performed over a [`Core`], as a state machine: [`ScriptRun::advance`] runs
//! actions until one has to wait (for a call to return, a snapshot, time to pass) and says
//! what it waits for; the driver lets events arrive (each is shown to [`ScriptRun::observe`])
//! and calls `advance` again. The window advances once per frame; the headless
//! [`Runner`](super::Runner) waits on the core between advances. A call written without `&`
//! is waited for (at most `timeout_ms`); a `&` call runs on while later actions run, and its
//! result is printed when it arrives.

use super::{
    ActionKind, ActionRef, AddrRef, CallSpec, Check, CmpOp, Expectation, FieldValue, PortCheck,
    Script,
};
use crate::codegen::{python_value, received_bytes};
use crate::core::Core;
use crate::engine::command::{bytes_literal, bytes_literal_short};
use crate::engine::event::AutoSummary;
use crate::engine::kernel::KernelSnapshot;
use crate::engine::proc_net::{SystemSocket, SystemTable};
use crate::engine::{
    AddrArg, Call, CallId, EngineError, Family, Origin, Outcome, SockType, SocketAddress, SocketId,
    Value, WokenBy, errno,
};
use crate::i18n::{Lang, outcome_words};
use crate::session::wire::{WireEntry, WireState};
use crate::session::{Applied, CallRecord, ChunkKind, LogEntry, Session, SocketView};
use crate::t;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long the runner waits for cancelled calls to report back.
const CANCEL_GRACE: Duration = Duration::from_secs(2);
/// How often a `sleep` / `stay` looks at the interrupt flag.
const INTERRUPT_POLL: Duration = Duration::from_millis(100);
/// The longest a step's end waits for the wire's last segments.
const WIRE_SYNC_LIMIT: Duration = Duration::from_millis(500);
/// How often a `system()` action looks whether its table has been read.
const SYSTEM_POLL: Duration = Duration::from_millis(5);

/// One expectation that did not hold, or the problem that stopped the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Where in the file (1-based).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Socket calls the script performed (socket() included, automatic calls not).
    pub calls: usize,
    pub expectations_met: usize,
    pub failures: Vec<Failure>,
    /// What stopped the script before its end (an unknown name at run time, a socket that
    /// could not be created...).
    pub stopped: Option<Failure>,
    /// Calls still pending at the end, cancelled by the runner.
    pub cancelled_at_end: usize,
    /// The run was interrupted (Ctrl-C) during `sleep` or `stay`.
    pub interrupted: bool,
}

impl RunReport {
    /// Every expectation held and nothing stopped the script.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.stopped.is_none()
    }

    /// `ok: 12 calls, 9 expectations met` or `FAILED: ...`, in English.
    pub fn summary(&self) -> String {
        self.summary_in(Lang::En)
    }

    /// `ok: 12 calls, 9 expectations met` or `FAILED: ...`.
    pub fn summary_in(&self, lang: Lang) -> String {
        let calls = self.calls;
        let met = self.expectations_met;
        if self.passed() {
            t!(lang, "run-summary-ok", calls = calls, met = met)
        } else {
            let mut text = t!(
                lang,
                "run-summary-failed",
                failed = self.failures.len(),
                met = met,
                calls = calls
            );
            if let Some(stop) = &self.stopped {
                text.push_str(&t!(lang, "run-summary-stopped-at", line = stop.line));
            }
            text
        }
    }
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub step: usize,
    pub calls: usize,
    pub failures: usize,
    /// The script stopped in this step (or had stopped before it).
    pub stopped: bool,
}

/// What [`ScriptRun::advance`] left the run doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Waiting for an event, or for `until` (None: only an event or an interrupt ends it).
    Waiting { until: Option<Instant> },
    /// The steps asked for have run; more remain.
    Paused,
    /// No more steps will run (all done, stopped, or interrupted), and `finish` has nothing
    /// left to wait for if it was asked.
    Finished,
}

/// The script's name for a socket (the session holds everything else about it).
struct Sock {
    name: String,
    children: u32,
    /// Known before the session hears of the socket (a call may follow its creation at once).
    family: Family,
}

enum Var {
    Bytes(Vec<u8>),
    Addr(SocketAddress),
}

struct Pending {
    socket: SocketId,
    call: Call,
    /// Where in the file (for the end-of-run notice).
    line: usize,
    expect: Vec<Expectation>,
    targets: Vec<String>,
    /// Its Returned has been applied: the session holds its record.
    returned: bool,
    /// Gave up waiting and cancelled it: its result is shown but not checked again.
    abandoned: bool,
}

/// A call about to be sent, and where it came from.
struct Issued {
    at: ActionRef,
    socket: SocketId,
    call: Call,
    background: bool,
    line: usize,
    column: usize,
}

/// What the run waits for before its next action.
enum Wait {
    /// A call (started without `&`, or awaited) to return; past the deadline it is given up.
    Call {
        call_id: CallId,
        deadline: Instant,
        line: usize,
        column: usize,
        /// `await`: the expectations to check once it has returned.
        awaited: Option<Vec<Expectation>>,
    },
    /// A given-up call's cancellation to report back (nothing happens at the deadline).
    Cancelled { call_id: CallId, deadline: Instant },
    /// `cancel()`: the socket's script calls to report back.
    Quiet { socket: SocketId, deadline: Instant },
    /// `kernel()`: a snapshot newer than `seq`.
    Kernel {
        socket: SocketId,
        name: String,
        seq: u64,
        deadline: Instant,
        expect: Vec<Expectation>,
        line: usize,
        column: usize,
    },
    /// `system(ADDR)`: the system table, read on a thread of its own (it can take a while on
    /// a machine with many sockets, and the window must not wait for it).
    System {
        table: std::sync::mpsc::Receiver<SystemTable>,
        /// The latest table read. Until the expectations hold or the deadline passes it is
        /// read again (the kernel's table follows a close a moment later: FIN_WAIT2, then
        /// TIME_WAIT), and the last one read is what is shown.
        arrived: Option<SystemTable>,
        /// `table` is being read again.
        reading: bool,
        network_of: Option<u32>,
        wanted: SystemQuery,
        deadline: Instant,
        expect: Vec<Expectation>,
        line: usize,
        column: usize,
    },
    /// `wire on`: the capture to say it runs, or why it cannot.
    WireState { deadline: Instant },
    /// `wire(A, B)`: the capture to have reported everything up to mark `id`.
    WireMark {
        id: u64,
        sockets: Vec<String>,
        deadline: Instant,
        expect: Vec<Expectation>,
        line: usize,
        column: usize,
    },
    /// `sleep` / `stay` (None: until interrupted).
    Until { deadline: Option<Instant> },
    /// The end of the run: the calls cancelled then to report back.
    Ending {
        calls: Vec<CallId>,
        deadline: Instant,
    },
}

/// Where the run is in the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    step: usize,
    /// The next action of `step` to run.
    action: usize,
    calls_before: usize,
    failures_before: usize,
    /// At the step's end, the wire's segments so far have been waited for.
    wire_synced: bool,
}

/// What the run has printed, and in which language it prints.
struct Transcript<W: Write> {
    out: W,
    lang: Lang,
    header_done: bool,
    explained: HashSet<String>,
}

/// Following the wire for a script that said `wire on`.
#[derive(Default)]
struct WireFollow {
    /// The script said `wire on`.
    asked: bool,
    /// The wire's entries printed so far (the session's lasting index of the next one).
    printed: u64,
    marks: u64,
    /// The capture's lost frames already said.
    lost_said: u64,
}

/// The script's names: its sockets and its variables.
#[derive(Default)]
struct Bindings {
    sockets: HashMap<SocketId, Sock>,
    names: HashMap<String, SocketId>,
    /// Sockets whose shown name changed since the last advance (given to the session there).
    renamed: Vec<SocketId>,
    vars: HashMap<String, Var>,
}

/// The calls and kernel snapshots the run has asked for and not yet seen answered.
#[derive(Default)]
struct Tracked {
    calls: HashMap<CallId, Pending>,
    by_action: HashMap<ActionRef, CallId>,
    /// The sequence number of each socket's latest snapshot (the snapshot is the session's).
    kernel: HashMap<SocketId, u64>,
    kernel_seq: u64,
}

/// One run of a script over a core. See the module docs.
pub struct ScriptRun<W: Write> {
    script: Script,
    transcript: Transcript<W>,
    start_us: u64,
    /// The step the next [`Cursor`] starts at.
    next_step: usize,
    cursor: Option<Cursor>,
    /// Steps run until `next_step` reaches this (`usize::MAX`: all of them).
    target_steps: usize,
    wait: Option<Wait>,
    last_step: Option<StepReport>,
    ending: bool,
    ended: bool,
    bindings: Bindings,
    tracked: Tracked,
    report: RunReport,
    /// Set from outside (Ctrl-C) to end `sleep` / `stay` and stop the script.
    interrupt: Option<Arc<AtomicBool>>,
    /// When the running step began (engine time): `wire()` counts from there.
    step_start_us: u64,
    wire: WireFollow,
    /// The network the script's sockets are made in was chosen ([`ScriptRun::choose_network`]).
    network_chosen: bool,
}

impl<W: Write> ScriptRun<W> {
    /// A run of `script` on `core`'s sockets, printing its timeline to `out`. Nothing runs
    /// until steps are asked for ([`ScriptRun::request_steps`]) and advanced.
    pub fn new(script: Script, core: &Core, out: W) -> Self {
        ScriptRun {
            script,
            transcript: Transcript {
                out,
                lang: Lang::En,
                header_done: false,
                explained: HashSet::new(),
            },
            start_us: core.now_us(),
            next_step: 0,
            cursor: None,
            target_steps: 0,
            wait: None,
            last_step: None,
            ending: false,
            ended: false,
            bindings: Bindings::default(),
            tracked: Tracked::default(),
            report: RunReport::default(),
            interrupt: None,
            step_start_us: 0,
            wire: WireFollow::default(),
            network_chosen: false,
        }
    }

    /// The language the run prints its prose in from now on (English until told).
    pub fn set_language(&mut self, lang: Lang) {
        self.transcript.lang = lang;
    }

    /// When `flag` becomes true, a `sleep` or `stay` ends and no further action runs; the
    /// report says it was interrupted.
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::SeqCst))
    }

    pub fn script(&self) -> &Script {
        &self.script
    }

    /// What the run has printed so far goes here.
    pub fn out(&self) -> &W {
        &self.transcript.out
    }

    pub fn out_mut(&mut self) -> &mut W {
        &mut self.transcript.out
    }

    /// The index of the step that runs next (or runs now).
    pub fn next_step(&self) -> usize {
        self.cursor.map_or(self.next_step, |cursor| cursor.step)
    }

    /// The step running now, or else the last one run.
    pub fn current_step(&self) -> Option<usize> {
        self.cursor
            .map(|cursor| cursor.step)
            .or_else(|| self.next_step.checked_sub(1))
    }

    /// A step is running or more steps have been asked for.
    pub fn is_busy(&self) -> bool {
        self.cursor.is_some() || (!self.no_more_steps() && self.next_step < self.target_steps)
    }

    fn no_more_steps(&self) -> bool {
        self.next_step >= self.script.steps.len()
            || self.report.stopped.is_some()
            || self.report.interrupted
    }

    /// No more steps will run (all done, or the script stopped) and none is running.
    pub fn is_finished(&self) -> bool {
        self.cursor.is_none() && self.no_more_steps()
    }

    /// The report so far.
    pub fn report(&self) -> &RunReport {
        &self.report
    }

    /// The report of the step that ended last.
    pub fn last_step(&self) -> Option<&StepReport> {
        self.last_step.as_ref()
    }

    /// The socket a script name refers to right now.
    pub fn socket_named(&self, name: &str) -> Option<SocketId> {
        self.bindings.names.get(name).copied()
    }

    /// Every socket the script has named so far, in id order, once each (no names copied:
    /// a script's listener may have accepted thousands).
    pub fn socket_ids(&self) -> Vec<SocketId> {
        let mut ids: Vec<SocketId> = self.bindings.names.values().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every name the script has given a socket so far (a socket may have several).
    pub fn socket_names(&self) -> Vec<(String, SocketId)> {
        let mut names: Vec<(String, SocketId)> = self
            .bindings
            .names
            .iter()
            .map(|(name, id)| (name.clone(), *id))
            .collect();
        names.sort_by_key(|(_, id)| *id);
        names
    }

    /// Asks for steps to run until `count` of them have run.
    pub fn request_steps(&mut self, count: usize) {
        self.target_steps = self.target_steps.max(count);
    }

    /// Asks for the next step (after the one running, if any).
    pub fn request_next(&mut self) {
        let after = self.cursor.map_or(self.next_step, |cursor| cursor.step + 1);
        self.request_steps(after + 1);
    }

    /// Asks for every remaining step.
    pub fn request_all(&mut self) {
        self.target_steps = usize::MAX;
    }

    /// Asks the run to end: calls still pending are cancelled and waited for (briefly); then
    /// the failures and the summary line are printed and `advance` says Finished.
    pub fn request_finish(&mut self) {
        self.ending = true;
    }

    /// Runs actions until one has to wait, the steps asked for have run, or the script ends.
    pub fn advance(&mut self, core: &mut Core, now: Instant) -> Progress {
        if !self.network_chosen {
            self.network_chosen = true;
            self.choose_network(core);
        }
        self.give_names(core);
        loop {
            if let Some(progress) = self.check_wait(core, now) {
                self.give_names(core);
                return progress;
            }
            match self.cursor {
                Some(cursor) => self.run_cursor(core, cursor),
                None if self.ending => {
                    if self.ended {
                        return Progress::Finished;
                    }
                    self.begin_end(core, now);
                    if self.wait.is_none() {
                        self.print_end();
                    }
                }
                None if self.no_more_steps() => {
                    self.header();
                    return Progress::Finished;
                }
                None if self.next_step >= self.target_steps => return Progress::Paused,
                None => self.start_step(core.now_us()),
            }
            self.give_names(core);
        }
    }

    /// Before anything runs: a script whose sockets talk only to each other (`own_network`)
    /// and that captures the wire gets a private network where capture needs a privilege this
    /// process lacks (a network must be chosen before the first socket).
    fn choose_network(&mut self, core: &mut Core) {
        let captures = self.script.steps.iter().any(|step| {
            step.actions
                .iter()
                .any(|action| matches!(action.kind, ActionKind::Wire { on: true }))
        });
        if !self.script.own_network
            || !captures
            || core.in_private_network()
            || !core.capture_needs_privilege()
        {
            return;
        }
        let at = self.secs(core.now_us());
        let lang = self.transcript.lang;
        let text = match core.use_private_network_for_script() {
            Ok(()) => format!("~ {}", t!(lang, "run-private-network")),
            Err(why) => format!("~ {}", t!(lang, "run-no-private-network", why = why)),
        };
        let _ = writeln!(self.transcript.out, "{at:>8}  {text}");
    }

    /// The session shows the script's names for its sockets.
    fn give_names(&mut self, core: &mut Core) {
        let mut later = Vec::new();
        for socket in std::mem::take(&mut self.bindings.renamed) {
            let Some(sock) = self.bindings.sockets.get(&socket) else {
                continue;
            };
            match core.session().socket(socket) {
                Some(view) if view.name != sock.name => {
                    core.rename(socket, sock.name.clone());
                }
                Some(_) => {}
                // The session has not seen the socket open yet: next time.
                None => later.push(socket),
            }
        }
        later.sort();
        later.dedup();
        self.bindings.renamed = later;
    }

    fn start_step(&mut self, now_us: u64) {
        self.header();
        let index = self.next_step;
        self.next_step = index + 1;
        let total = self.script.steps.len();
        let say = self.script.steps[index].say.clone();
        self.step_start_us = now_us;
        let _ = writeln!(self.transcript.out);
        match say {
            Some(say) => {
                let mut lines = say.get(self.transcript.lang).trim().lines();
                let first = lines.next().unwrap_or("");
                let _ = writeln!(
                    self.transcript.out,
                    "== step {}/{total}: {first}",
                    index + 1
                );
                for line in lines {
                    let _ = writeln!(self.transcript.out, "   {}", line.trim());
                }
            }
            None => {
                let _ = writeln!(self.transcript.out, "== step {}/{total}", index + 1);
            }
        }
        self.cursor = Some(Cursor {
            step: index,
            action: 0,
            calls_before: self.report.calls,
            failures_before: self.report.failures.len(),
            wire_synced: false,
        });
    }

    /// Runs the cursor's next action, or ends its step.
    fn run_cursor(&mut self, core: &mut Core, cursor: Cursor) {
        let count = self.script.steps[cursor.step].actions.len();
        let stopped = self.report.stopped.is_some() || self.report.interrupted;
        if cursor.action >= count && !stopped && !cursor.wire_synced && self.wire.asked {
            // The step's last segments (a FIN, an ACK) are printed within the step, not under
            // the next one's header: wait (briefly) for the capture to catch up.
            self.cursor = Some(Cursor {
                wire_synced: true,
                ..cursor
            });
            if core.session().wire().is_on() {
                self.wire.marks += 1;
                if core.wire_mark(self.wire.marks) {
                    self.wait = Some(Wait::WireMark {
                        id: self.wire.marks,
                        sockets: Vec::new(),
                        deadline: Instant::now() + WIRE_SYNC_LIMIT,
                        expect: Vec::new(),
                        line: 0,
                        column: 0,
                    });
                }
            }
            return;
        }
        if cursor.action >= count || stopped {
            self.cursor = None;
            self.last_step = Some(StepReport {
                step: cursor.step,
                calls: self.report.calls - cursor.calls_before,
                failures: self.report.failures.len() - cursor.failures_before,
                stopped: self.report.stopped.is_some(),
            });
            return;
        }
        self.cursor = Some(Cursor {
            action: cursor.action + 1,
            ..cursor
        });
        let at = ActionRef {
            step: cursor.step,
            index: cursor.action,
        };
        if let Err(stop) = self.run_action(core, at) {
            let _ = writeln!(self.transcript.out, "{:>26}STOPPED: {stop}", "");
            self.report.stopped = Some(stop);
        }
    }

    /// Ends the wait when its condition holds or its deadline passed. Some(progress) while it
    /// goes on.
    fn check_wait(&mut self, core: &mut Core, now: Instant) -> Option<Progress> {
        let mut wait = self.wait.take()?;
        let mut system_done = false;
        if let Wait::System {
            table,
            arrived,
            reading,
            network_of,
            wanted,
            expect,
            deadline,
            ..
        } = &mut wait
        {
            if *reading && let Ok(read) = table.try_recv() {
                *arrived = Some(read);
                *reading = false;
            }
            if !*reading && let Some(read) = arrived.as_ref() {
                system_done = system_expectations_hold(read, wanted, expect);
                if !system_done && now < *deadline {
                    // Not yet: the kernel's table may be a moment behind. Read it again.
                    if let Ok(again) = start_system_read(*network_of) {
                        *table = again;
                        *reading = true;
                    }
                }
            }
        }
        let returned = |run: &Self, call_id: &CallId| {
            run.tracked
                .calls
                .get(call_id)
                .is_none_or(|pending| pending.returned)
        };
        let (done, deadline) = match &wait {
            Wait::Call {
                call_id, deadline, ..
            }
            | Wait::Cancelled { call_id, deadline } => (returned(self, call_id), Some(*deadline)),
            Wait::Quiet { socket, deadline } => {
                let quiet = !self.tracked.calls.values().any(|pending| {
                    pending.socket == *socket && !pending.returned && !pending.abandoned
                });
                (quiet, Some(*deadline))
            }
            Wait::Kernel {
                socket,
                seq,
                deadline,
                ..
            } => (
                self.tracked.kernel.get(socket).is_some_and(|s| s > seq),
                Some(*deadline),
            ),
            Wait::System { deadline, .. } => (system_done, Some(*deadline)),
            Wait::WireState { deadline } => (
                !matches!(core.session().wire().state, WireState::Off),
                Some(*deadline),
            ),
            Wait::WireMark { id, deadline, .. } => (
                core.session().wire().mark_reached >= *id || !core.session().wire().is_on(),
                Some(*deadline),
            ),
            Wait::Until { deadline } => {
                if self.interrupted() {
                    self.report.interrupted = true;
                    let _ = writeln!(
                        self.transcript.out,
                        "{:>8}  interrupted",
                        self.secs(core.now_us())
                    );
                    return None;
                }
                (false, *deadline)
            }
            Wait::Ending { calls, deadline } => (
                calls.iter().all(|call_id| returned(self, call_id)),
                Some(*deadline),
            ),
        };
        let expired = deadline.is_some_and(|deadline| now >= deadline);
        if !done && !expired {
            self.wait = Some(wait);
            // A sleep also ends on an interrupt: look again soon.
            let until = match (&self.wait, deadline) {
                (Some(Wait::Until { .. }), deadline) if self.interrupt.is_some() => {
                    Some(deadline.map_or(now + INTERRUPT_POLL, |d| d.min(now + INTERRUPT_POLL)))
                }
                // Nothing wakes the run when the reading thread is done: look again soon.
                (Some(Wait::System { .. }), Some(deadline)) => {
                    Some(deadline.min(now + SYSTEM_POLL))
                }
                (_, deadline) => deadline,
            };
            return Some(Progress::Waiting { until });
        }
        self.end_wait(core, wait, done);
        None
    }

    /// What happens when a wait ends (`done`: its condition held; else its deadline passed).
    fn end_wait(&mut self, core: &mut Core, wait: Wait, done: bool) {
        match wait {
            Wait::Call {
                call_id,
                line,
                column,
                awaited,
                ..
            } => {
                if !done {
                    self.give_up(core, call_id, line, column);
                } else if let Some(expect) = awaited
                    && let Some(pending) = self.tracked.calls.get(&call_id)
                    && pending.returned
                    && let Some(record) = core.session().call(call_id)
                {
                    let prefix = format!(
                        "await {}.{}",
                        self.name_of(pending.socket),
                        pending.call.name()
                    );
                    let data = received_bytes(core.session(), record);
                    self.check_all(core.session(), &expect, record, data, &prefix);
                }
            }
            Wait::Kernel {
                socket,
                name,
                expect,
                line,
                column,
                ..
            } => self.kernel_result(core, socket, &name, &expect, done, line, column),
            Wait::System {
                arrived,
                wanted,
                expect,
                line,
                column,
                ..
            } => self.system_rows(core, &wanted, arrived, &expect, line, column),
            Wait::WireState { .. } => self.wire_state_said(core),
            Wait::WireMark {
                sockets,
                expect,
                line,
                column,
                ..
            } => self.wire_counts(core, &sockets, &expect, done, line, column),
            Wait::Ending { .. } => self.print_end(),
            Wait::Cancelled { .. } | Wait::Quiet { .. } | Wait::Until { .. } => {}
        }
    }

    /// The end of the run: cancels the script's calls still pending and waits for them.
    fn begin_end(&mut self, core: &mut Core, now: Instant) {
        self.header();
        let mut pending: Vec<(CallId, SocketId)> = self
            .tracked
            .calls
            .iter()
            .filter(|(_, p)| !p.returned && !p.abandoned)
            .map(|(id, p)| (*id, p.socket))
            .collect();
        pending.sort();
        if pending.is_empty() {
            return;
        }
        let _ = writeln!(self.transcript.out);
        for (id, socket) in &pending {
            if let Some(p) = self.tracked.calls.get(id) {
                let text = t!(
                    self.transcript.lang,
                    "run-end-cancelling",
                    call = format!("{}.{}", self.name_of(*socket), p.call.text()),
                    line = p.line
                );
                let _ = writeln!(self.transcript.out, "{text}");
            }
        }
        let mut sockets: Vec<SocketId> = pending.iter().map(|(_, s)| *s).collect();
        sockets.dedup();
        for socket in sockets {
            let _ = core.cancel(socket);
        }
        self.report.cancelled_at_end = pending.len();
        self.wait = Some(Wait::Ending {
            calls: pending.iter().map(|(id, _)| *id).collect(),
            deadline: now + CANCEL_GRACE,
        });
    }

    /// The failures again and the summary line.
    fn print_end(&mut self) {
        self.ended = true;
        let _ = writeln!(self.transcript.out);
        let lang = self.transcript.lang;
        if !self.report.failures.is_empty() {
            let _ = writeln!(
                self.transcript.out,
                "{}",
                t!(lang, "run-failed-expectations")
            );
            for failure in &self.report.failures {
                let _ = writeln!(self.transcript.out, "  {failure}");
            }
        }
        if let Some(stop) = &self.report.stopped {
            let _ = writeln!(
                self.transcript.out,
                "{}",
                t!(lang, "run-stopped", stop = stop.to_string())
            );
        }
        let _ = writeln!(self.transcript.out, "{}", self.report.summary_in(lang));
        let _ = self.transcript.out.flush();
    }

    /// Takes the report (after the run has ended).
    pub fn take_report(&mut self) -> RunReport {
        std::mem::take(&mut self.report)
    }

    // ------------------------------------------------------------------------------ output

    fn header(&mut self) {
        if self.transcript.header_done {
            return;
        }
        self.transcript.header_done = true;
        let lang = self.transcript.lang;
        if !self.script.title.is_empty() {
            let _ = writeln!(self.transcript.out, "# {}", self.script.title.get(lang));
        }
        if let Some(intro) = self.script.intro.clone() {
            for line in intro.get(lang).trim().lines() {
                let _ = writeln!(self.transcript.out, "# {}", line.trim());
            }
        }
    }

    /// Prints times on the session's clock (as the window's timeline, call table and
    /// received view do), not from the script's start: for a run shown in the window.
    pub fn use_session_clock(&mut self) {
        self.start_us = 0;
    }

    fn secs(&self, at_us: u64) -> String {
        format!("{:.3}", at_us.saturating_sub(self.start_us) as f64 / 1e6)
    }

    /// One timeline line: time, socket, call, result, and a note (duration).
    fn print_line(&mut self, at_us: u64, who: &str, what: &str, result: &str, note: &str) {
        let time = self.secs(at_us);
        let line = if note.is_empty() {
            format!("{time:>8}  {who:<12} {what:<40} -> {result}")
        } else {
            format!("{time:>8}  {who:<12} {what:<40} -> {result}   [{note}]")
        };
        let _ = writeln!(self.transcript.out, "{}", line.trim_end());
        let _ = self.transcript.out.flush();
    }

    /// The first time an explanation shows in a run, one line with it (and the usual fix):
    /// the errno explained for the call and socket that got it.
    fn explain(&mut self, record: &CallRecord) {
        let lang = self.transcript.lang;
        let text = match record.outcome {
            Some(Outcome::Errno(code)) => {
                let explained = crate::engine::explain::errno_in(
                    lang,
                    code,
                    &record.call,
                    record.context.as_ref(),
                );
                let mut text = format!("{}: {}", errno::name(code), explained.text);
                if let Some(fix) = explained.fix {
                    text.push(' ');
                    text.push_str(&t!(lang, "run-fix", fix = fix));
                }
                text
            }
            // A datagram that went where nothing is bound: UDP does not say, the run does.
            Some(Outcome::Ok(_)) => {
                match crate::engine::explain::nothing_bound_in(
                    lang,
                    &record.call,
                    record.context.as_ref(),
                ) {
                    Some(note) => note,
                    None => return,
                }
            }
            _ => return,
        };
        if !self.transcript.explained.insert(text.clone()) {
            return;
        }
        let _ = writeln!(self.transcript.out, "{:>20}   {text}", "");
    }

    fn print_failure(&mut self, failure: &Failure) {
        let _ = writeln!(self.transcript.out, "{:>20}!! {failure}", "");
        let _ = self.transcript.out.flush();
    }

    /// Every expectation of an action that could not be checked at all fails with `message`.
    fn fail_each(&mut self, expect: &[Expectation], message: &str) {
        for expectation in expect {
            self.fail(expectation.line, expectation.column, message.to_string());
        }
    }

    fn fail(&mut self, line: usize, column: usize, message: String) {
        let failure = Failure {
            line,
            column,
            message,
        };
        self.print_failure(&failure);
        self.report.failures.push(failure);
    }

    fn name_of(&self, socket: SocketId) -> String {
        self.bindings
            .sockets
            .get(&socket)
            .map_or_else(|| socket.to_string(), |s| s.name.clone())
    }

    // ------------------------------------------------------------------------------ events

    /// Takes note of one event just applied to the session (the core tells each one here):
    /// prints returned calls, checks the script's, names sockets. What the event carried is
    /// read from the session.
    pub fn observe(&mut self, session: &Session, applied: Applied) {
        match applied {
            Applied::Opened(socket) => {
                if let Some(view) = session.socket(socket) {
                    self.opened(view);
                }
            }
            Applied::Returned { call_id, .. } => {
                if let Some(record) = session.call(call_id) {
                    self.returned(session, record);
                }
                // Segments held back while this call was waited for come after its line.
                self.print_wire(session);
            }
            Applied::Auto(socket) => {
                if let Some(LogEntry::Auto(summary)) = session.last_entry() {
                    // The sample went to the socket's received chunks.
                    let sample = session
                        .socket(socket)
                        .and_then(|view| view.chunks.back())
                        .filter(|chunk| {
                            matches!(chunk.kind, ChunkKind::AutoSample { .. })
                                && chunk.at_us == summary.to_us
                        })
                        .map_or(&[][..], |chunk| chunk.data.as_slice());
                    self.auto_summary(summary, sample);
                }
            }
            Applied::Kernel(socket) => {
                self.tracked.kernel_seq += 1;
                self.tracked.kernel.insert(socket, self.tracked.kernel_seq);
            }
            Applied::ThreadFailed(socket) => {
                let message = session
                    .thread_failure(socket)
                    .unwrap_or_default()
                    .to_string();
                let who = self.name_of(socket);
                let lang = self.transcript.lang;
                let what = format!("[{}]", t!(lang, "run-thread-failed-mark"));
                self.print_line(session.latest_us(), &who, &what, &message, "");
                self.fail(
                    0,
                    0,
                    t!(
                        lang,
                        "run-thread-failed",
                        who = who.as_str(),
                        message = message.as_str()
                    ),
                );
            }
            Applied::Wire => self.print_wire(session),
            Applied::ThreadEnded(_) => self.forget_what_the_session_forgot(session),
            Applied::Started { .. }
            | Applied::State(_)
            | Applied::Automation(_)
            | Applied::ReplyRule { .. }
            | Applied::Relay(_) => {}
        }
    }

    /// Lets go of the names of sockets the session has forgotten (a listener's accepted
    /// connections are named here as they come, so under connection churn this would grow
    /// for ever). Done once they are about half of what is known here, so it costs O(1) a
    /// socket.
    fn forget_what_the_session_forgot(&mut self, session: &Session) {
        let kept = session.sockets_kept();
        if self.bindings.sockets.len() <= 2 * kept + 64 {
            return;
        }
        self.bindings
            .sockets
            .retain(|id, _| !session.was_forgotten(*id));
        self.bindings
            .names
            .retain(|_, id| !session.was_forgotten(*id));
        self.tracked
            .kernel
            .retain(|id, _| !session.was_forgotten(*id));
        self.bindings.sockets.shrink_to_fit();
        self.bindings.names.shrink_to_fit();
        self.tracked.kernel.shrink_to_fit();
    }

    // ------------------------------------------------------------------------------ wire

    /// The segments the capture reported since the last call, one line each, between the call
    /// lines (they come a few milliseconds after the calls that caused them). Segments from
    /// after the start of the call the script waits for are held back until that call's line
    /// is printed: the capture may report a connect()'s handshake before connect() returns.
    fn print_wire(&mut self, session: &Session) {
        let wire = session.wire();
        let end = wire.end_index();
        if !self.wire.asked {
            self.wire.printed = end;
            return;
        }
        let hold_from_us = match &self.wait {
            Some(Wait::Call { call_id, .. }) => session
                .call(*call_id)
                .filter(|record| record.is_pending())
                .map(|record| record.started_us),
            _ => None,
        };
        let first_kept = end - wire.len() as u64;
        let from = self.wire.printed.max(first_kept);
        let mut lines = Vec::new();
        let mut printed_to = end;
        for index in from..end {
            let Some(entry) = wire.get(index) else {
                continue;
            };
            let at_us = match entry {
                WireEntry::Segment(segment) => segment.segment.at_us,
                WireEntry::Summary(band) => band.summary.from_us,
            };
            if hold_from_us.is_some_and(|hold| at_us >= hold) {
                printed_to = index;
                break;
            }
            let line = match entry {
                WireEntry::Segment(segment) => {
                    let from = self.lane_text(session, segment.from_lane, &segment.segment.from);
                    let to = self.lane_text(session, segment.to_lane, &segment.segment.to);
                    let detail = match segment.segment.tcp() {
                        Some(tcp) => format!("seq {} ack {} win {}", tcp.seq, tcp.ack, tcp.window),
                        None => String::new(),
                    };
                    format!(
                        "{:>8}  ~ {from} -> {to}  {}   {detail}",
                        self.secs(segment.segment.at_us),
                        segment.segment.label()
                    )
                }
                WireEntry::Summary(band) => format!(
                    "{:>8}  ~ {}",
                    self.secs(band.summary.from_us),
                    t!(
                        self.transcript.lang,
                        "run-wire-summary",
                        segments = band.summary.segments,
                        bytes = band.summary.payload_bytes,
                        took =
                            duration_text(band.summary.to_us.saturating_sub(band.summary.from_us))
                    )
                ),
            };
            lines.push(line);
        }
        self.wire.printed = printed_to;
        let lost = wire.lost_frames();
        if lost > self.wire.lost_said {
            lines.push(format!(
                "{:>8}  ~ {}",
                self.secs(wire.last_lost_us().unwrap_or_default()),
                t!(
                    self.transcript.lang,
                    "run-wire-lost",
                    frames = lost - self.wire.lost_said
                )
            ));
            self.wire.lost_said = lost;
        }
        for line in lines {
            let _ = writeln!(self.transcript.out, "{}", line.trim_end());
        }
        let _ = self.transcript.out.flush();
    }

    /// A lane's script name, or the address of an end that is not ours.
    fn lane_text(
        &self,
        session: &Session,
        lane: Option<SocketId>,
        address: &SocketAddress,
    ) -> String {
        // A segment captured before its socket's address was known (a connect()'s SYN,
        // printed after connect() returned) has no lane yet: one socket with that address is it.
        let lane = lane.or_else(|| {
            let mut owners = session
                .sockets()
                .filter(|view| view.local.as_ref() == Some(address));
            match (owners.next(), owners.next()) {
                (Some(only), None) => Some(only.id),
                _ => None,
            }
        });
        match lane {
            Some(socket) if self.bindings.sockets.contains_key(&socket) => self.name_of(socket),
            Some(socket) => session
                .socket(socket)
                .map_or_else(|| address.to_string(), |view| view.name.clone()),
            None => address.to_string(),
        }
    }

    fn wire_on(&mut self, core: &mut Core, on: bool, deadline: Instant) {
        if on {
            self.wire.asked = true;
            self.wire.printed = core.session().wire().end_index();
            if core.session().wire().is_on() {
                self.wire_state_said(core);
                return;
            }
            core.set_wire(true);
            self.wait = Some(Wait::WireState { deadline });
        } else {
            core.set_wire(false);
            self.wire.asked = false;
            let _ = writeln!(
                self.transcript.out,
                "{:>8}  ~ {}",
                self.secs(core.now_us()),
                t!(self.transcript.lang, "run-wire-off")
            );
        }
    }

    fn wire_state_said(&mut self, core: &Core) {
        let at = self.secs(core.now_us());
        let lang = self.transcript.lang;
        let text = match &core.session().wire().state {
            WireState::On { .. } => format!("~ {}", t!(lang, "run-wire-on")),
            WireState::Unavailable(problem) => format!(
                "~ {}\n{:>10}  {}",
                t!(
                    lang,
                    "run-wire-not-shown",
                    why = problem.message().replace('\n', &format!("\n{:>12}", ""))
                ),
                "",
                t!(lang, "run-wire-goes-on")
            ),
            WireState::Off => format!("~ {}", t!(lang, "run-wire-no-answer")),
        };
        let _ = writeln!(self.transcript.out, "{at:>8}  {text}");
    }

    fn ask_wire(
        &mut self,
        core: &mut Core,
        sockets: &[String],
        expect: &[Expectation],
        deadline: Instant,
        line: usize,
        column: usize,
    ) {
        let what = format!("wire({})", sockets.join(", "));
        let lang = self.transcript.lang;
        if !self.wire.asked {
            self.fail(
                line,
                column,
                t!(lang, "run-wire-is-off", what = what.as_str()),
            );
            return;
        }
        if !core.session().wire().is_on() {
            let would: Vec<&str> = expect.iter().map(|e| e.text.as_str()).collect();
            let would = if would.is_empty() {
                t!(lang, "run-wire-would-check-nothing")
            } else {
                would.join(", ")
            };
            let _ = writeln!(
                self.transcript.out,
                "{:>8}  {what:<53} -> {}",
                self.secs(core.now_us()),
                t!(lang, "run-wire-not-captured", would = would)
            );
            return;
        }
        self.wire.marks += 1;
        let id = self.wire.marks;
        if !core.wire_mark(id) {
            self.fail(
                line,
                column,
                t!(lang, "run-wire-not-running", what = what.as_str()),
            );
            return;
        }
        self.wait = Some(Wait::WireMark {
            id,
            sockets: sockets.to_vec(),
            deadline,
            expect: expect.to_vec(),
            line,
            column,
        });
    }

    /// The counts of `wire(A, B)`, printed and checked.
    fn wire_counts(
        &mut self,
        core: &Core,
        sockets: &[String],
        expect: &[Expectation],
        done: bool,
        line: usize,
        column: usize,
    ) {
        if sockets.is_empty() {
            // Only the step's end waiting for the capture: nothing to count or check.
            return;
        }
        let what = format!("wire({})", sockets.join(", "));
        let lang = self.transcript.lang;
        let session = core.session();
        if !session.wire().is_on() {
            self.fail(
                line,
                column,
                t!(lang, "run-wire-stopped", what = what.as_str()),
            );
            return;
        }
        if !done {
            let message = t!(
                lang,
                "run-wire-behind",
                what = what.as_str(),
                ms = self.script.timeout_ms
            );
            self.fail_each(expect, &message);
            return;
        }
        // A socket stands for itself and the connections it accepted.
        let mut groups: Vec<HashSet<SocketId>> = Vec::new();
        for name in sockets {
            let Some(id) = self.bindings.names.get(name).copied() else {
                self.fail(
                    line,
                    column,
                    t!(
                        lang,
                        "run-no-socket-named",
                        what = what.as_str(),
                        name = name.as_str()
                    ),
                );
                return;
            };
            let mut group: HashSet<SocketId> = HashSet::from([id]);
            if let Some(view) = session.socket(id) {
                group.extend(view.children.iter().copied());
            }
            groups.push(group);
        }
        let counts = wire_counts(session, &groups, self.step_start_us);
        let lost_in_step = session
            .wire()
            .last_lost_us()
            .is_some_and(|at_us| at_us >= self.step_start_us);
        let result = t!(
            lang,
            "run-wire-counts",
            segments = counts.segments,
            syn = counts.syn,
            syn_ack = counts.syn_ack,
            fin = counts.fin,
            rst = counts.rst,
            data = counts.data,
            bytes = counts.bytes,
            zero_window = counts.zero_window
        );
        let mut result = result;
        if counts.udp > 0 {
            result.push_str(&format!(", {} UDP", counts.udp));
        }
        if counts.port_unreachable > 0 {
            result.push_str(&t!(
                lang,
                "run-wire-port-unreachable",
                count = counts.port_unreachable
            ));
        }
        let since = t!(lang, "run-since-step-began");
        self.print_line(core.now_us(), "", &what, &result, &since);
        for expectation in expect {
            let Check::Kernel {
                field,
                op,
                value: FieldValue::Int(expected),
            } = &expectation.check
            else {
                continue;
            };
            let actual = counts.field(field);
            if op.holds(actual as i64, *expected) {
                self.report.expectations_met += 1;
            } else {
                self.fail(
                    expectation.line,
                    expectation.column,
                    t!(
                        lang,
                        "run-wire-expected",
                        what = what.as_str(),
                        expected = expectation.text.as_str(),
                        got = format!("{field} == {actual}"),
                        result = result.as_str()
                    ) + &if lost_in_step {
                        t!(lang, "run-wire-lost-in-step")
                    } else {
                        String::new()
                    },
                );
            }
        }
    }

    fn opened(&mut self, view: &SocketView) {
        if self.bindings.sockets.contains_key(&view.id) {
            return;
        }
        let name = match view.parent {
            Some(parent) => {
                let parent_name = self.name_of(parent);
                let n = match self.bindings.sockets.get_mut(&parent) {
                    Some(sock) => {
                        sock.children += 1;
                        sock.children
                    }
                    None => view.id.0,
                };
                format!("{parent_name}_conn{n}")
            }
            None => format!("socket{}", view.id.0),
        };
        self.bindings.names.insert(name.clone(), view.id);
        self.bindings.sockets.insert(
            view.id,
            Sock {
                name,
                children: 0,
                family: view.family,
            },
        );
        if view.parent.is_some() {
            self.bindings.renamed.push(view.id);
        }
    }

    fn auto_summary(&mut self, summary: &AutoSummary, sample: &[u8]) {
        let who = self.name_of(summary.socket);
        let lang = self.transcript.lang;
        let mut text = format!(
            "{} recv ({} B), {} send ({} B)",
            summary.recv_calls, summary.recv_bytes, summary.send_calls, summary.send_bytes
        );
        if summary.errors > 0 {
            text.push_str(&t!(lang, "run-auto-errors", count = summary.errors));
        }
        if !sample.is_empty() {
            text.push_str(&t!(
                lang,
                "run-auto-first-bytes",
                bytes = bytes_literal_short(sample)
            ));
        }
        let span = t!(
            lang,
            "run-auto-over",
            seconds = format!(
                "{:.3}",
                summary.to_us.saturating_sub(summary.from_us) as f64 / 1e6
            )
        );
        self.print_line(summary.to_us, &who, "[auto] summary", &text, &span);
    }

    fn returned(&mut self, session: &Session, record: &CallRecord) {
        let socket = record.socket;
        let returned_us = record.returned_us.unwrap_or(record.started_us);
        let data = received_bytes(session, record);
        let Some(pending) = self.tracked.calls.get(&record.call_id) else {
            // Automatic (or otherwise not ours) calls: shown, not checked.
            let what = match record.origin {
                Origin::Auto => format!("[auto] {}", record.call.text()),
                _ => record.call.text(),
            };
            let result = self.result_text(record, data);
            let who = self.name_of(socket);
            let lang = self.transcript.lang;
            // A reply rule's reply says which rule answered.
            let note = match record.reply_rule {
                Some(rule) => format!(
                    "{}, {}",
                    crate::messages::rules::rule_label(lang, rule as usize),
                    timing(lang, record)
                ),
                None => timing(lang, record),
            };
            self.print_line(returned_us, &who, &what, &result, &note);
            self.explain(record);
            return;
        };
        let targets = pending.targets.clone();
        let expect = pending.expect.clone();
        let abandoned = pending.abandoned;
        // Name what the call returned before printing, so accept shows the child's name.
        if record.outcome.as_ref().is_some_and(Outcome::is_ok) {
            self.assign(&record.call, &targets, record, data);
        }
        let result = self.result_text(record, data);
        let who = self.name_of(socket);
        self.print_line(
            returned_us,
            &who,
            &record.call.text(),
            &result,
            &timing(self.transcript.lang, record),
        );
        self.explain(record);
        if !abandoned {
            let prefix = format!("{who}.{}", record.call.text());
            self.check_all(session, &expect, record, data, &prefix);
        }
        if let Some(pending) = self.tracked.calls.get_mut(&record.call_id) {
            pending.returned = true;
        }
    }

    fn assign(
        &mut self,
        call: &Call,
        targets: &[String],
        record: &CallRecord,
        data: Option<&[u8]>,
    ) {
        let target = |i: usize| targets.get(i).filter(|name| name.as_str() != "_").cloned();
        let Some(outcome) = &record.outcome else {
            return;
        };
        match (outcome, call) {
            (Outcome::Ok(Value::Accepted { child, peer }), _) => {
                if let Some(name) = target(0) {
                    self.rename(*child, &name);
                }
                if let Some(name) = target(1) {
                    self.bindings.vars.insert(name, Var::Addr(peer.clone()));
                }
            }
            (Outcome::Ok(Value::Bytes(_)), Call::Recv { .. } | Call::RecvFrom { .. }) => {
                if let Some(name) = target(0) {
                    self.bindings.names.remove(&name);
                    let data = data.unwrap_or_default().to_vec();
                    self.bindings.vars.insert(name, Var::Bytes(data));
                }
                if let (Some(name), Some(from)) = (target(1), &record.from) {
                    self.bindings.names.remove(&name);
                    self.bindings.vars.insert(name, Var::Addr(from.clone()));
                }
            }
            (Outcome::Ok(Value::Address(addr)), _) => {
                if let Some(name) = target(0) {
                    self.bindings.names.remove(&name);
                    self.bindings.vars.insert(name, Var::Addr(addr.clone()));
                }
            }
            _ => {}
        }
    }

    /// Gives `socket` the name `name` (a script's `conn = server.accept()`).
    fn rename(&mut self, socket: SocketId, name: &str) {
        if let Some(old) = self.bindings.names.get(name).copied()
            && old != socket
            && let Some(sock) = self.bindings.sockets.get_mut(&old)
        {
            // The name moves on (as in Python); the old socket keeps a distinct label.
            sock.name = format!("{name}{old}");
            let label = sock.name.clone();
            self.bindings.names.insert(label, old);
            self.bindings.renamed.push(old);
        }
        if let Some(sock) = self.bindings.sockets.get_mut(&socket) {
            let previous = std::mem::replace(&mut sock.name, name.to_string());
            // Keep the automatic name usable too (server_conn1).
            self.bindings.names.insert(previous, socket);
            self.bindings.renamed.push(socket);
        }
        self.bindings.vars.remove(name);
        self.bindings.names.insert(name.to_string(), socket);
    }

    // ------------------------------------------------------------------------------ actions

    /// Starts one action; an action that has to wait leaves a [`Wait`] behind.
    fn run_action(&mut self, core: &mut Core, at: ActionRef) -> Result<(), Failure> {
        let Some(action) = self
            .script
            .steps
            .get(at.step)
            .and_then(|step| step.actions.get(at.index))
            .cloned()
        else {
            return Ok(());
        };
        let (line, column) = (action.line, action.column);
        let stop = |message: String| Failure {
            line,
            column,
            message,
        };
        let now = Instant::now();
        let deadline = now + Duration::from_millis(self.script.timeout_ms);
        match &action.kind {
            ActionKind::Create {
                name,
                family,
                sock_type,
            } => self.create(
                core,
                name,
                *family,
                *sock_type,
                &action.expect,
                line,
                column,
            ),
            ActionKind::Call {
                socket,
                call,
                background,
                targets,
            } => {
                let id = self.socket_id(socket).map_err(stop)?;
                let resolved = self.resolve(core.session(), id, call).map_err(stop)?;
                let issued = Issued {
                    at,
                    socket: id,
                    call: resolved,
                    background: *background,
                    line,
                    column,
                };
                self.issue(core, issued, targets, &action.expect, deadline);
                Ok(())
            }
            ActionKind::Await { target, .. } => {
                let Some(call_id) = self.tracked.by_action.get(target).copied() else {
                    return Err(stop(t!(self.transcript.lang, "run-await-not-started")));
                };
                self.wait = Some(Wait::Call {
                    call_id,
                    deadline,
                    line,
                    column,
                    awaited: Some(action.expect.clone()),
                });
                Ok(())
            }
            ActionKind::Cancel { socket } => {
                let id = self.socket_id(socket).map_err(stop)?;
                let result = match core.cancel(id) {
                    Ok(()) => "sent".to_string(),
                    Err(error) => error.to_string(),
                };
                self.print_line(core.now_us(), socket, "cancel()", &result, "");
                // Let the cancelled calls report, so the timeline reads in order.
                self.wait = Some(Wait::Quiet {
                    socket: id,
                    deadline,
                });
                Ok(())
            }
            ActionKind::Auto {
                socket,
                automation,
                flood_to,
            } => {
                let id = self.socket_id(socket).map_err(stop)?;
                let mut automation = automation.clone();
                if let (Some(name), Some(flood)) = (flood_to, automation.flood.as_mut()) {
                    flood.destination = Some(self.addr_of(core.session(), name).map_err(stop)?);
                }
                let text = automation.script_args(None);
                let result = match core.set_automation(id, automation) {
                    Ok(()) => "on".to_string(),
                    Err(error) => error.to_string(),
                };
                let result = if text == "off" {
                    "off".to_string()
                } else {
                    result
                };
                self.print_line(core.now_us(), socket, &format!("auto({text})"), &result, "");
                Ok(())
            }
            ActionKind::Kernel { socket } => {
                let id = self.socket_id(socket).map_err(stop)?;
                self.ask_kernel(core, id, socket, &action.expect, deadline, line, column);
                Ok(())
            }
            ActionKind::System { addr } => {
                self.read_system(core, addr, &action.expect, deadline, line, column);
                Ok(())
            }
            ActionKind::Unlink { path } => {
                self.unlink(core, path, &action.expect, line, column);
                Ok(())
            }
            ActionKind::Wire { on } => {
                self.wire_on(core, *on, deadline);
                Ok(())
            }
            ActionKind::WireCheck { sockets } => {
                self.ask_wire(core, sockets, &action.expect, deadline, line, column);
                Ok(())
            }
            ActionKind::Sleep { ms } | ActionKind::Stay { ms: Some(ms) } => {
                let verb = if matches!(action.kind, ActionKind::Sleep { .. }) {
                    "sleep"
                } else {
                    "stay"
                };
                let _ = writeln!(
                    self.transcript.out,
                    "{:>8}  ({verb} {})",
                    self.secs(core.now_us()),
                    duration_text(ms.saturating_mul(1000))
                );
                self.wait = Some(Wait::Until {
                    deadline: Some(now + Duration::from_millis(*ms)),
                });
                Ok(())
            }
            ActionKind::Stay { ms: None } => {
                let _ = writeln!(
                    self.transcript.out,
                    "{:>8}  {}",
                    self.secs(core.now_us()),
                    t!(self.transcript.lang, "run-staying")
                );
                self.wait = Some(Wait::Until { deadline: None });
                Ok(())
            }
        }
    }

    /// `system(ADDR)`: reads the system socket table on a thread of its own (a machine with
    /// many sockets takes a while), then [`Self::system_rows`] checks the rows.
    fn read_system(
        &mut self,
        core: &Core,
        addr: &AddrRef,
        expect: &[Expectation],
        deadline: Instant,
        line: usize,
        column: usize,
    ) {
        let wanted = match self.raw_addr(core.session(), addr) {
            Ok(local) => SystemQuery {
                local,
                peer: self.connection_peer(core.session(), addr),
            },
            Err(why) => {
                self.fail(line, column, format!("system(): {why}"));
                return;
            }
        };
        let network_of = core.network_pid();
        let table = match start_system_read(network_of) {
            Ok(table) => table,
            Err(error) => {
                self.fail(
                    line,
                    column,
                    t!(
                        self.transcript.lang,
                        "run-system-could-not-start",
                        error = error.to_string()
                    ),
                );
                return;
            }
        };
        self.wait = Some(Wait::System {
            table,
            arrived: None,
            reading: true,
            network_of,
            wanted,
            deadline,
            expect: expect.to_vec(),
            line,
            column,
        });
    }

    /// The rows of `table` whose local address is `wanted` (a wildcard bind matches only its
    /// wildcard rows), printed and checked against the expectations.
    fn system_rows(
        &mut self,
        core: &Core,
        wanted: &SystemQuery,
        table: Option<SystemTable>,
        expect: &[Expectation],
        line: usize,
        column: usize,
    ) {
        let lang = self.transcript.lang;
        let Some(table) = table else {
            let message = t!(
                lang,
                "run-system-not-read",
                what = format!("system({})", wanted.local),
                ms = self.script.timeout_ms
            );
            self.fail(line, column, message);
            return;
        };
        let what = format!("system({})", wanted.local);
        if let Some(why) = &table.unavailable {
            self.print_line(core.now_us(), "", &what, why, "");
            self.fail_each(expect, &format!("{what}: {why}"));
            return;
        }
        let rows = system_rows_at(&table, wanted);
        let shown: Vec<String> = rows
            .iter()
            .take(4)
            .map(|row| {
                let state = if row.state.is_empty() {
                    "-"
                } else {
                    &row.state
                };
                match &row.remote {
                    Some(remote) if remote.port().is_some_and(|port| port != 0) => t!(
                        lang,
                        "run-system-row-to",
                        row = format!("{} {state}", row.proto.label()),
                        remote = remote.to_string()
                    ),
                    _ => format!("{} {state}", row.proto.label()),
                }
            })
            .collect();
        let mut result = match rows.len() {
            0 => t!(lang, "run-system-no-rows"),
            n => t!(lang, "run-system-rows", count = n, rows = shown.join("; ")),
        };
        if rows.len() > shown.len() {
            result.push_str(&t!(
                lang,
                "run-system-more",
                count = rows.len() - shown.len()
            ));
        }
        self.print_line(core.now_us(), "", &what, &result, "");
        for expectation in expect {
            let Check::Kernel {
                field,
                op,
                value: FieldValue::Int(expected),
            } = &expectation.check
            else {
                continue;
            };
            let actual = system_count(&rows, field);
            if op.holds(actual, *expected) {
                self.report.expectations_met += 1;
            } else {
                self.fail(
                    expectation.line,
                    expectation.column,
                    self.expected_got(&what, &expectation.text, &format!("{field} = {actual}")),
                );
            }
        }
    }

    /// `os.unlink(PATH)`: removes a socket's file, as a Python server does before bind. Any
    /// other kind of file is refused, so a lesson from elsewhere cannot delete documents.
    fn unlink(
        &mut self,
        core: &Core,
        path: &str,
        expect: &[Expectation],
        line: usize,
        column: usize,
    ) {
        use std::os::unix::fs::FileTypeExt;
        let what = format!("os.unlink({})", AddrArg::Path(path.to_string()));
        let outcome: Result<(), i32> = match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_socket() => std::fs::remove_file(path)
                .map_err(|error| error.raw_os_error().unwrap_or(libc::EIO)),
            Ok(_) => {
                let lang = self.transcript.lang;
                let message = t!(
                    lang,
                    "run-unlink-refused",
                    what = what.as_str(),
                    path = path
                );
                let short = t!(lang, "run-unlink-refused-short");
                self.print_line(core.now_us(), "", &what, &short, "");
                self.fail(line, column, message);
                return;
            }
            Err(error) => Err(error.raw_os_error().unwrap_or(libc::EIO)),
        };
        let result = match outcome {
            Ok(()) => "None".to_string(),
            Err(code) => format!(
                "{} ({})",
                errno::name(code),
                crate::codegen::python_exception(code)
            ),
        };
        self.print_line(core.now_us(), "", &what, &result, "");
        for expectation in expect {
            let holds = match (&expectation.check, outcome) {
                (Check::Ok | Check::NoneValue, Ok(())) => true,
                (Check::Errno { code, .. }, Err(got)) => *code == got,
                _ => false,
            };
            if holds {
                self.report.expectations_met += 1;
            } else {
                self.fail(
                    expectation.line,
                    expectation.column,
                    self.expected_got(&what, &expectation.text, &result),
                );
            }
        }
    }

    /// The peer of a named stream socket that has (or had) one: `system(client)` is about the
    /// client's own connection, not every connection another program made from the same
    /// port since (a port in TIME_WAIT may be used again toward another peer).
    fn connection_peer(&self, session: &Session, addr: &AddrRef) -> Option<SocketAddress> {
        let AddrRef::Name(name) = addr else {
            return None;
        };
        if matches!(self.bindings.vars.get(name), Some(Var::Addr(_))) {
            return None;
        }
        let view = session.socket(self.socket_id(name).ok()?)?;
        if view.sock_type != crate::engine::SockType::Stream {
            return None;
        }
        // /proc/net/unix names no remote end: a Unix socket is found by its path alone.
        view.peer
            .clone()
            .or_else(|| view.last_peer.clone())
            .filter(|peer| peer.ip().is_some())
    }

    /// The address a name stands for as it is, wildcard and all (for the system table).
    fn raw_addr(&self, session: &Session, addr: &AddrRef) -> Result<AddrArg, String> {
        match addr {
            AddrRef::Literal(addr) => Ok(addr.clone()),
            AddrRef::Name(name) => {
                if let Some(Var::Addr(address)) = self.bindings.vars.get(name) {
                    return Ok(address.to_arg());
                }
                let id = self.socket_id(name)?;
                session
                    .socket(id)
                    .and_then(|view| view.local.as_ref())
                    .map(|local| local.to_arg())
                    .ok_or_else(|| format!("'{name}' has no address yet"))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ask_kernel(
        &mut self,
        core: &mut Core,
        socket: SocketId,
        name: &str,
        expect: &[Expectation],
        deadline: Instant,
        line: usize,
        column: usize,
    ) {
        if let Err(error) = core.snapshot(socket) {
            self.print_line(core.now_us(), name, "kernel()", &error.to_string(), "");
            self.fail_each(expect, &format!("{name}.kernel(): {error}"));
            return;
        }
        self.wait = Some(Wait::Kernel {
            socket,
            name: name.to_string(),
            seq: self.tracked.kernel_seq,
            deadline,
            expect: expect.to_vec(),
            line,
            column,
        });
    }

    /// A kernel() action's snapshot arrived (`arrived`), or did not in time.
    #[allow(clippy::too_many_arguments)]
    fn kernel_result(
        &mut self,
        core: &Core,
        socket: SocketId,
        name: &str,
        expect: &[Expectation],
        arrived: bool,
        line: usize,
        column: usize,
    ) {
        if !arrived {
            let message = t!(
                self.transcript.lang,
                "run-kernel-no-snapshot-within",
                name = name,
                ms = self.script.timeout_ms
            );
            self.fail(line, column, message);
            return;
        }
        let snapshot: KernelSnapshot = core
            .session()
            .socket(socket)
            .and_then(|view| view.kernel.as_deref())
            .map(|(_, snapshot)| snapshot.clone())
            .unwrap_or_default();
        self.print_line(
            core.now_us(),
            name,
            "kernel()",
            &kernel_text(self.transcript.lang, &snapshot),
            "",
        );
        for expectation in expect {
            match check_kernel(self.transcript.lang, &expectation.check, &snapshot) {
                Ok(()) => self.report.expectations_met += 1,
                Err(got) => self.fail(
                    expectation.line,
                    expectation.column,
                    self.expected_got(&format!("{name}.kernel()"), &expectation.text, &got),
                ),
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn create(
        &mut self,
        core: &mut Core,
        name: &str,
        family: Family,
        sock_type: SockType,
        expect: &[Expectation],
        line: usize,
        column: usize,
    ) -> Result<(), Failure> {
        let what = format!(
            "socket({}, {})",
            family.python_name(),
            sock_type.python_name()
        );
        let now = core.now_us();
        self.report.calls += 1;
        match core.create(family, sock_type) {
            Ok(id) => {
                self.bindings.sockets.insert(
                    id,
                    Sock {
                        name: name.to_string(),
                        children: 0,
                        family,
                    },
                );
                self.bindings.renamed.push(id);
                if let Some(old) = self.bindings.names.insert(name.to_string(), id)
                    && let Some(sock) = self.bindings.sockets.get_mut(&old)
                {
                    sock.name = format!("{name}{old}");
                    self.bindings.renamed.push(old);
                }
                self.bindings.vars.remove(name);
                self.print_line(now, name, &what, &format!("{name} {id}"), "");
                for expectation in expect {
                    match &expectation.check {
                        Check::Ok => self.report.expectations_met += 1,
                        _ => self.fail(
                            expectation.line,
                            expectation.column,
                            self.expected_got(
                                &what,
                                &expectation.text,
                                &t!(self.transcript.lang, "run-got-a-socket"),
                            ),
                        ),
                    }
                }
                Ok(())
            }
            Err(error) => {
                self.print_line(now, name, &what, &error.to_string(), "");
                let code = match &error {
                    EngineError::Create { errno, .. } => Some(*errno),
                    _ => None,
                };
                let expected = expect
                    .iter()
                    .any(|e| matches!(&e.check, Check::Errno { code: c, .. } if Some(*c) == code));
                if expected {
                    self.report.expectations_met += 1;
                }
                Err(Failure {
                    line,
                    column,
                    message: format!("{what} failed: {error}"),
                })
            }
        }
    }

    /// Sends a call to its socket; without `&` the run waits for it.
    fn issue(
        &mut self,
        core: &mut Core,
        issued: Issued,
        targets: &[String],
        expect: &[Expectation],
        deadline: Instant,
    ) {
        let Issued {
            at,
            socket,
            call,
            background,
            line,
            column,
        } = issued;
        self.report.calls += 1;
        let who = self.name_of(socket);
        let call_id = match core.call(socket, call.clone(), Origin::Script) {
            Ok(call_id) => call_id,
            Err(error) => {
                // The socket's thread is gone (it was closed): Python raises EBADF here.
                // It never reached the engine, so the session has no record of it: this one
                // stands for it.
                let now = core.now_us();
                let record = CallRecord {
                    socket,
                    call_id: CallId(u64::MAX - self.report.calls as u64),
                    call: call.clone(),
                    origin: Origin::Script,
                    started_us: now,
                    returned_us: Some(now),
                    duration_us: Some(0),
                    outcome: Some(Outcome::Errno(libc::EBADF)),
                    bytes_moved: 0,
                    data_len: None,
                    from: None,
                    truncated_from: None,
                    woken_by: Some(WokenBy::NoWait),
                    context: None,
                    reply_rule: None,
                };
                let result = format!("EBADF ({error})");
                let not_sent = t!(self.transcript.lang, "run-not-sent");
                self.print_line(now, &who, &call.text(), &result, &not_sent);
                self.explain(&record);
                let prefix = format!("{who}.{}", call.text());
                self.check_all(core.session(), expect, &record, None, &prefix);
                return;
            }
        };
        self.tracked.calls.insert(
            call_id,
            Pending {
                socket,
                call: call.clone(),
                line,
                expect: expect.to_vec(),
                targets: targets.to_vec(),
                returned: false,
                abandoned: false,
            },
        );
        if background {
            self.tracked.by_action.insert(at, call_id);
            let runs_on = t!(self.transcript.lang, "run-started-in-background");
            self.print_line(core.now_us(), &who, &call.text(), "...", &runs_on);
            return;
        }
        self.wait = Some(Wait::Call {
            call_id,
            deadline,
            line,
            column,
            awaited: None,
        });
    }

    /// A call did not return within timeout_ms: report it, cancel it, and wait briefly for the
    /// cancellation to show.
    fn give_up(&mut self, core: &mut Core, call_id: CallId, line: usize, column: usize) {
        let Some(pending) = self.tracked.calls.get_mut(&call_id) else {
            return;
        };
        pending.abandoned = true;
        let socket = pending.socket;
        let text = pending.call.text();
        let who = self.name_of(socket);
        let message = t!(
            self.transcript.lang,
            "run-gave-up",
            call = format!("{who}.{text}"),
            ms = self.script.timeout_ms
        );
        self.fail(line, column, message);
        let _ = core.cancel(socket);
        self.wait = Some(Wait::Cancelled {
            call_id,
            deadline: Instant::now() + CANCEL_GRACE,
        });
    }

    /// `WHAT: expected EXPECTATION, got ACTUAL`, a failed expectation as the run says it.
    fn expected_got(&self, what: &str, expected: &str, got: &str) -> String {
        let said = t!(
            self.transcript.lang,
            "run-expected-got",
            expected = expected,
            got = got
        );
        format!("{what}: {said}")
    }

    fn socket_id(&self, name: &str) -> Result<SocketId, String> {
        if let Some(id) = self.bindings.names.get(name) {
            return Ok(*id);
        }
        let lang = self.transcript.lang;
        if self.bindings.vars.contains_key(name) {
            return Err(t!(lang, "run-not-a-socket", name = name));
        }
        Err(t!(lang, "run-not-a-socket-yet", name = name))
    }

    /// Fills in the names a call uses (a socket's address, bytes received earlier).
    fn resolve(
        &self,
        session: &Session,
        socket: SocketId,
        spec: &CallSpec,
    ) -> Result<Call, String> {
        let mut call = spec.call.clone();
        if let Some(name) = &spec.data_from {
            let data = match self.bindings.vars.get(name) {
                Some(Var::Bytes(data)) => data.clone(),
                _ => {
                    return Err(t!(
                        self.transcript.lang,
                        "run-holds-no-bytes",
                        name = name.as_str()
                    ));
                }
            };
            match &mut call {
                Call::Send { data: d }
                | Call::SendAll { data: d }
                | Call::SendTo { data: d, .. } => {
                    *d = data;
                }
                _ => {}
            }
        }
        if let Some(name) = &spec.addr_from {
            let mut addr = self.addr_of(session, name)?;
            // An IPv4 socket reaches an IPv4-mapped address (::ffff:127.0.0.1) at its IPv4
            // form, as a Python client would write it.
            if self.family_of(session, socket) == Some(Family::Ipv4)
                && let AddrArg::Inet { host, .. } = &mut addr
                && let Ok(std::net::IpAddr::V6(v6)) = host.parse::<IpAddr>()
                && let Some(v4) = v6.to_ipv4_mapped()
            {
                *host = v4.to_string();
            }
            match &mut call {
                Call::Bind(a) | Call::Connect(a) | Call::SendTo { addr: a, .. } => *a = addr,
                _ => {}
            }
        }
        // ('', port) means every interface, as in Python.
        let family = self.family_of(session, socket);
        if let Call::Bind(AddrArg::Inet { host, .. }) | Call::Connect(AddrArg::Inet { host, .. }) =
            &mut call
            && host.is_empty()
        {
            *host = if family == Some(Family::Ipv6) {
                "::"
            } else {
                "0.0.0.0"
            }
            .to_string();
        }
        Ok(call)
    }

    fn family_of(&self, session: &Session, socket: SocketId) -> Option<Family> {
        session
            .socket(socket)
            .map(|view| view.family)
            .or_else(|| self.bindings.sockets.get(&socket).map(|sock| sock.family))
    }

    /// The address a name stands for: an address variable, or a socket's own (bound) address.
    fn addr_of(&self, session: &Session, name: &str) -> Result<AddrArg, String> {
        let lang = self.transcript.lang;
        if let Some(var) = self.bindings.vars.get(name) {
            return match var {
                Var::Addr(address) => connectable(lang, name, address),
                Var::Bytes(_) => Err(t!(lang, "run-holds-bytes", name = name)),
            };
        }
        let Some(id) = self.bindings.names.get(name) else {
            return Err(t!(lang, "run-no-value-yet", name = name));
        };
        match session.socket(*id).and_then(|view| view.local.as_ref()) {
            Some(local) => connectable(lang, name, local),
            None => Err(t!(lang, "run-no-address-yet", name = name)),
        }
    }

    // ------------------------------------------------------------------------------ checks

    fn check_all(
        &mut self,
        session: &Session,
        expect: &[Expectation],
        record: &CallRecord,
        data: Option<&[u8]>,
        prefix: &str,
    ) {
        for expectation in expect {
            match self.check(session, &expectation.check, record, data) {
                Ok(()) => self.report.expectations_met += 1,
                Err(got) => {
                    let message = self.expected_got(prefix, &expectation.text, &got);
                    self.fail(expectation.line, expectation.column, message);
                }
            }
        }
    }

    /// Whether one expectation holds for a call's record in the session (and the bytes it
    /// received, while the session retains them).
    fn check(
        &self,
        session: &Session,
        check: &Check,
        r: &CallRecord,
        data: Option<&[u8]>,
    ) -> Result<(), String> {
        let got = || self.result_text(r, data);
        let ok = |holds: bool, got: String| if holds { Ok(()) } else { Err(got) };
        let lang = self.transcript.lang;
        let Some(outcome) = &r.outcome else {
            return Err(t!(lang, "run-still-pending"));
        };
        match check {
            Check::Value { op, value } => {
                let actual = match outcome {
                    Outcome::Ok(Value::Int(n)) => Some(*n),
                    Outcome::Ok(Value::Bytes(n)) => Some(*n as i64),
                    // connect/bind return None in Python; 0 reads as success, as in C.
                    Outcome::Ok(Value::None) if *value == 0 && *op == CmpOp::Eq => Some(0),
                    _ => None,
                };
                match actual {
                    Some(actual) => ok(op.holds(actual, *value), got()),
                    None => Err(got()),
                }
            }
            Check::Moved { op, value } => ok(
                op.holds(r.bytes_moved as i64, *value),
                t!(lang, "run-bytes-moved", count = r.bytes_moved),
            ),
            Check::Data(expected) => match (outcome, data) {
                (Outcome::Ok(_), None) if r.data_len.is_some() => Err(t!(
                    lang,
                    "run-bytes-dropped",
                    count = r.data_len.unwrap_or(0)
                )),
                (Outcome::Ok(_), Some(data)) => ok(
                    data == expected,
                    if data.len() > 200 {
                        format!("{} ({} bytes)", bytes_literal_short(data), data.len())
                    } else {
                        bytes_literal(data)
                    },
                ),
                _ => Err(got()),
            },
            Check::Text(text) => match outcome {
                Outcome::Ok(Value::Text(t)) => ok(t == text, got()),
                Outcome::Ok(Value::Address(address)) => ok(
                    address.to_string() == *text
                        || same_addr(address, &AddrArg::Path(text.clone())),
                    got(),
                ),
                _ => Err(got()),
            },
            Check::Errno { code, .. } => {
                ok(matches!(outcome, Outcome::Errno(c) if c == code), got())
            }
            Check::Ok => ok(outcome.is_ok(), got()),
            Check::NoneValue => ok(matches!(outcome, Outcome::Ok(Value::None)), got()),
            Check::Timeout => ok(matches!(outcome, Outcome::TimedOut { .. }), got()),
            Check::Cancelled => ok(matches!(outcome, Outcome::Cancelled(_)), got()),
            Check::Eof => ok(matches!(outcome, Outcome::Ok(Value::Bytes(0))), got()),
            Check::Truncated => ok(
                r.truncated_from.is_some(),
                t!(lang, "run-not-truncated", got = got()),
            ),
            Check::Blocks(None) => ok(
                r.woken_by.is_some_and(|woken| woken != WokenBy::NoWait),
                t!(
                    lang,
                    "run-returned-at-once",
                    took = duration_text(duration_us(r))
                ),
            ),
            Check::Blocks(Some((op, us))) => ok(
                op.holds(duration_us(r), *us),
                t!(lang, "run-blocked", took = duration_text(duration_us(r))),
            ),
            Check::Address { op, addr } => {
                let actual = match outcome {
                    Outcome::Ok(Value::Address(a)) => a.clone(),
                    Outcome::Ok(Value::Accepted { peer, .. }) => peer.clone(),
                    _ => return Err(got()),
                };
                let expected = self.expected_addr(session, addr)?;
                ok(
                    op.holds(same_addr(&actual, &expected), true),
                    actual.to_string(),
                )
            }
            Check::Port(port_check) => {
                let actual = match outcome {
                    Outcome::Ok(Value::Address(a)) => a.clone(),
                    Outcome::Ok(Value::Accepted { peer, .. }) => peer.clone(),
                    _ => return Err(got()),
                };
                let Some(port) = actual.port() else {
                    return Err(t!(lang, "run-no-port", actual = actual.to_string()));
                };
                match port_check {
                    PortCheck::Cmp { op, value } => {
                        ok(op.holds(u32::from(port), *value), format!("port {port}"))
                    }
                    PortCheck::Ephemeral => {
                        let (low, high) = crate::engine::ephemeral_port_range()?;
                        ok(
                            (low..=high).contains(&port),
                            t!(
                                lang,
                                "run-port-outside-ephemeral",
                                port = port,
                                low = low,
                                high = high
                            ),
                        )
                    }
                }
            }
            Check::Host { op, host } => {
                let actual = match outcome {
                    Outcome::Ok(Value::Address(a)) => a.clone(),
                    Outcome::Ok(Value::Accepted { peer, .. }) => peer.clone(),
                    _ => return Err(got()),
                };
                let expected = host.parse::<IpAddr>().ok();
                ok(
                    op.holds(actual.ip().is_some() && actual.ip() == expected, true),
                    actual.to_string(),
                )
            }
            Check::From { op, addr } => {
                let Some(actual) = &r.from else {
                    return Err(t!(lang, "run-no-sender", got = got()));
                };
                let expected = self.expected_addr(session, addr)?;
                ok(
                    op.holds(same_addr(actual, &expected), true),
                    actual.to_string(),
                )
            }
            Check::Kernel { .. } => Err(t!(lang, "run-kernel-field-only")),
        }
    }

    fn expected_addr(&self, session: &Session, addr: &AddrRef) -> Result<AddrArg, String> {
        match addr {
            AddrRef::Literal(addr) => Ok(addr.clone()),
            // An address variable is compared as it was returned, wildcard and all.
            AddrRef::Name(name) if matches!(self.bindings.vars.get(name), Some(Var::Addr(_))) => {
                self.raw_addr(session, addr)
            }
            AddrRef::Name(name) => self
                .addr_of(session, name)
                .map_err(|why| t!(self.transcript.lang, "run-nothing-to-compare", why = why)),
        }
    }

    /// What a call returned, as the runner prints it: the words every view uses (for a value,
    /// as Python shows it, the same text as the Python view's `# ->` comment), then their
    /// note, and what a value means (EOF, truncation, UTF-8 text).
    fn result_text(&self, r: &CallRecord, data: Option<&[u8]>) -> String {
        let lang = self.transcript.lang;
        let call = &r.call;
        let value = |value: &Value| {
            let names = |socket: SocketId| self.name_of(socket);
            let mut text = python_value(call, r.from.as_ref(), value, &names, data);
            if let (Value::Bytes(n), Some(data)) = (value, data) {
                let asked = match call {
                    Call::Recv { bufsize, .. } | Call::RecvFrom { bufsize, .. } => *bufsize,
                    _ => 1,
                };
                if let Some(shown) = utf8_text(data) {
                    text.push_str(&format!(" (utf-8: '{shown}')"));
                }
                if *n == 0 && asked > 0 && !matches!(call, Call::RecvFrom { .. }) {
                    let meaning =
                        crate::engine::explain::empty_recv_in(lang, call, r.context.as_ref());
                    text.push_str(&format!(" ({meaning})"));
                }
            }
            if let Some(real) = r.truncated_from {
                text.push(' ');
                text.push_str(&t!(lang, "run-datagram-truncated", size = real));
            }
            text
        };
        let words = outcome_words(lang, r.outcome.as_ref(), call.name(), value);
        match words.note {
            Some(note) => format!("{} ({note})", words.result),
            None => words.result,
        }
    }
}

/// Received bytes that are UTF-8 text with non-ASCII characters (Chinese, say), as text with
/// control characters escaped; None for ASCII (the bytes literal already reads well) or
/// binary data.
fn utf8_text(data: &[u8]) -> Option<String> {
    const SHOWN: usize = 40;
    let text = std::str::from_utf8(data).ok()?;
    if text.is_ascii() {
        return None;
    }
    let mut shown: String = text
        .chars()
        .take(SHOWN)
        .flat_map(|c| {
            if c.is_control() || c == '\'' || c == '\\' {
                c.escape_default().collect::<Vec<char>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > SHOWN {
        shown.push_str("...");
    }
    Some(shown)
}

fn duration_text(us: u64) -> String {
    if us >= 1_000_000 {
        format!("{:.3} s", us as f64 / 1e6)
    } else {
        format!("{:.1} ms", us as f64 / 1e3)
    }
}

/// How long a call took, and what woke it if it waited.
fn timing(lang: Lang, r: &CallRecord) -> String {
    let took = duration_text(duration_us(r));
    match r.woken_by {
        None | Some(WokenBy::NoWait) => took,
        Some(woken) => {
            let by = match &r.outcome {
                Some(outcome) => crate::engine::explain::woken_in(lang, &r.call, woken, outcome),
                None => woken.label().to_string(),
            };
            t!(lang, "run-blocked-woken-by", took = took, by = by)
        }
    }
}

fn duration_us(r: &CallRecord) -> u64 {
    r.duration_us.unwrap_or(0)
}

fn kernel_text(lang: Lang, snapshot: &KernelSnapshot) -> String {
    if !snapshot.available {
        return t!(lang, "run-kernel-not-available");
    }
    let mut parts = Vec::new();
    if let Some(state) = &snapshot.tcp_state {
        parts.push(format!("state={state}"));
    }
    if let Some(queue) = snapshot.accept_queue {
        match snapshot.backlog {
            Some(backlog) => parts.push(format!("accept_queue={queue}/{backlog}")),
            None => parts.push(format!("accept_queue={queue}")),
        }
    }
    let fields = [
        ("rx_queue", snapshot.rx_queue),
        ("tx_queue", snapshot.tx_queue),
        ("unsent", snapshot.unsent),
        ("rcvbuf", snapshot.rcvbuf),
        ("sndbuf", snapshot.sndbuf),
        ("rtt_us", snapshot.rtt_us),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            parts.push(format!("{name}={value}"));
        }
    }
    // Datagram sockets only: a TCP socket's drops are retransmitted, not lost.
    if snapshot.tcp_state.is_none() {
        if let Some(used) = snapshot.rcvbuf_used {
            parts.push(format!("rcvbuf_used={used}"));
        }
        if let Some(drops) = snapshot.drops {
            parts.push(format!("drops={drops}"));
        }
    }
    parts.join(" ")
}

enum FieldActual {
    Int(i64),
    Text(String),
}

fn kernel_field(snapshot: &KernelSnapshot, field: &str) -> Option<FieldActual> {
    let int = |value: Option<u32>| value.map(|v| FieldActual::Int(i64::from(v)));
    match field {
        "available" => Some(FieldActual::Int(i64::from(snapshot.available))),
        "rx_queue" => int(snapshot.rx_queue),
        "tx_queue" => int(snapshot.tx_queue),
        "unsent" => int(snapshot.unsent),
        "drops" => int(snapshot.drops),
        "rcvbuf_used" => int(snapshot.rcvbuf_used),
        "rcvbuf" => int(snapshot.rcvbuf),
        "sndbuf" => int(snapshot.sndbuf),
        "tcp_state" => snapshot.tcp_state.clone().map(FieldActual::Text),
        "rtt_us" => int(snapshot.rtt_us),
        "accept_queue" => int(snapshot.accept_queue),
        "backlog" => int(snapshot.backlog),
        _ => None,
    }
}

fn normalize_name(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

fn check_kernel(lang: Lang, check: &Check, snapshot: &KernelSnapshot) -> Result<(), String> {
    let Check::Kernel { field, op, value } = check else {
        return if matches!(check, Check::Ok) {
            Ok(())
        } else {
            Err(t!(lang, "run-kernel-call-result"))
        };
    };
    let Some(actual) = kernel_field(snapshot, field) else {
        return Err(if snapshot.available {
            t!(lang, "run-kernel-no-field", field = field.as_str())
        } else {
            t!(lang, "run-kernel-no-snapshot")
        });
    };
    match (actual, value) {
        (FieldActual::Int(actual), FieldValue::Int(expected)) => {
            if op.holds(actual, *expected) {
                Ok(())
            } else {
                Err(format!("{field} = {actual}"))
            }
        }
        (FieldActual::Text(actual), FieldValue::Name(expected)) => {
            if op.holds(normalize_name(&actual), normalize_name(expected)) {
                Ok(())
            } else {
                Err(format!("{field} = {actual}"))
            }
        }
        (FieldActual::Int(actual), FieldValue::Name(_)) => Err(t!(
            lang,
            "run-kernel-a-number",
            got = format!("{field} = {actual}")
        )),
        (FieldActual::Text(actual), FieldValue::Int(_)) => Err(t!(
            lang,
            "run-kernel-a-name",
            got = format!("{field} = {actual}")
        )),
    }
}

/// The address a script means by naming a socket or an address variable: where a client
/// would connect to reach it (a wildcard bind is reached through loopback).
fn connectable(lang: Lang, name: &str, address: &SocketAddress) -> Result<AddrArg, String> {
    match address {
        SocketAddress::Unnamed => Err(t!(lang, "run-unnamed-unix", name = name)),
        other => Ok(other.connect_address().to_arg()),
    }
}

/// Whether an address the engine reported is the one a script wrote. The script's own text
/// is read here (`'127.0.0.1:5000'` written as a string, `localhost`), never the engine's.
/// Reads the system socket table on a thread of its own; the table comes by the channel.
fn start_system_read(
    network_of: Option<u32>,
) -> std::io::Result<std::sync::mpsc::Receiver<SystemTable>> {
    let (sender, table) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("system-table".into())
        .spawn(move || {
            let _ = sender.send(crate::engine::proc_net::read_all(network_of));
        })?;
    Ok(table)
}

/// What a `system()` action looks for: rows with this local address and, for a named
/// connection, this peer.
#[derive(Debug)]
struct SystemQuery {
    local: AddrArg,
    peer: Option<SocketAddress>,
}

/// The rows whose local address is `wanted`'s (a wildcard bind matches only its wildcard
/// rows), and whose remote end is its peer when it has one.
fn system_rows_at<'t>(table: &'t SystemTable, wanted: &SystemQuery) -> Vec<&'t SystemSocket> {
    table
        .sockets
        .iter()
        .filter(|row| same_addr(&row.local, &wanted.local))
        .filter(|row| match (&wanted.peer, &row.remote) {
            (Some(peer), Some(remote)) => same_endpoint(remote, peer),
            (Some(_), None) => false,
            (None, _) => true,
        })
        .collect()
}

/// Two addresses name the same endpoint (an IPv4-mapped IPv6 address is its IPv4 one).
fn same_endpoint(one: &SocketAddress, other: &SocketAddress) -> bool {
    let canonical =
        |address: &SocketAddress| address.ip().map(|ip| ip.to_canonical()).zip(address.port());
    match (canonical(one), canonical(other)) {
        (Some(one), Some(other)) => one == other,
        _ => one == other,
    }
}

/// `rows`, or the rows in state `field` (`listen`, `time_wait`...).
fn system_count(rows: &[&SystemSocket], field: &str) -> i64 {
    let count = if field == "rows" {
        rows.len()
    } else {
        let wanted = normalize_name(field);
        rows.iter()
            .filter(|row| {
                let state = normalize_name(&row.state);
                // A Unix listener's state reads LISTENING in /proc/net/unix.
                state == wanted || (wanted == "LISTEN" && state == "LISTENING")
            })
            .count()
    };
    count as i64
}

/// Every expectation of a `system()` action holds for this table (an unreadable table holds
/// none: there is nothing to wait for).
fn system_expectations_hold(
    table: &SystemTable,
    wanted: &SystemQuery,
    expect: &[Expectation],
) -> bool {
    if table.unavailable.is_some() {
        return true;
    }
    let rows = system_rows_at(table, wanted);
    expect.iter().all(|expectation| match &expectation.check {
        Check::Kernel {
            field,
            op,
            value: FieldValue::Int(expected),
        } => op.holds(system_count(&rows, field), *expected),
        _ => true,
    })
}

fn same_addr(actual: &SocketAddress, expected: &AddrArg) -> bool {
    match expected {
        AddrArg::Inet { host, port } => {
            let host = if host == "localhost" {
                "127.0.0.1"
            } else {
                host.as_str()
            };
            host.parse::<IpAddr>().is_ok_and(|ip| {
                actual.ip() == Some(ip) && actual.port().map(u32::from) == Some(*port)
            })
        }
        AddrArg::Path(text) => match (actual, text.parse::<SocketAddr>()) {
            // from == '127.0.0.1:5000' written as text
            (SocketAddress::V4(_) | SocketAddress::V6(_), Ok(expected)) => {
                actual.ip() == Some(expected.ip()) && actual.port() == Some(expected.port())
            }
            (SocketAddress::Path(path), _) => path == text,
            (SocketAddress::Abstract(name), _) => text
                .strip_prefix('\0')
                .is_some_and(|rest| rest.as_bytes() == name.as_slice()),
            (SocketAddress::Unnamed, _) => text.is_empty(),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    /// `system(client)` counts the client's own connection: another connection made later
    /// from the same port (the port reused toward another peer) is not the client's.
    #[test]
    fn a_named_connections_system_rows_are_its_own() {
        let at = |port: u16| SocketAddress::inet(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
        let row = |remote: u16| SystemSocket {
            proto: crate::engine::proc_net::Proto::Tcp,
            local: at(57162),
            remote: Some(at(remote)),
            state: "TIME_WAIT".into(),
            rx_queue: 0,
            tx_queue: 0,
            inode: 0,
            uid: 0,
            path: None,
            unix_type: None,
        };
        let table = SystemTable {
            sockets: vec![row(59829), row(39041)],
            ..SystemTable::default()
        };
        let own = SystemQuery {
            local: AddrArg::inet("127.0.0.1", 57162),
            peer: Some(at(59829)),
        };
        assert_eq!(system_count(&system_rows_at(&table, &own), "time_wait"), 1);
        let mapped = SystemQuery {
            peer: Some(SocketAddress::inet(
                IpAddr::V6(Ipv4Addr::LOCALHOST.to_ipv6_mapped()),
                59829,
            )),
            ..own
        };
        assert_eq!(system_rows_at(&table, &mapped).len(), 1, "v4-mapped peer");
        let by_address = SystemQuery {
            local: AddrArg::inet("127.0.0.1", 57162),
            peer: None,
        };
        assert_eq!(system_rows_at(&table, &by_address).len(), 2);
    }

    #[test]
    fn a_named_address_is_where_a_client_connects() {
        let any = SocketAddress::inet(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 8080);
        assert_eq!(
            connectable(Lang::En, "s", &any),
            Ok(AddrArg::inet("127.0.0.1", 8080))
        );
        let v6 = SocketAddress::inet(IpAddr::V6(Ipv6Addr::LOCALHOST), 80);
        assert_eq!(
            connectable(Lang::En, "s", &v6),
            Ok(AddrArg::inet("::1", 80))
        );
        let path = SocketAddress::Path("/tmp/x.sock".into());
        assert_eq!(
            connectable(Lang::En, "s", &path),
            Ok(AddrArg::Path("/tmp/x.sock".into()))
        );
        assert!(connectable(Lang::En, "s", &SocketAddress::Unnamed).is_err());
        let local = SocketAddress::inet(IpAddr::V4(Ipv4Addr::LOCALHOST), 5000);
        assert!(same_addr(&local, &AddrArg::inet("localhost", 5000)));
        assert!(same_addr(&local, &AddrArg::Path("127.0.0.1:5000".into())));
        assert!(!same_addr(&local, &AddrArg::inet("127.0.0.1", 5001)));
        let abstract_name = SocketAddress::Abstract(b"demo".to_vec());
        assert!(same_addr(&abstract_name, &AddrArg::Path("\0demo".into())));
        assert!(!same_addr(&abstract_name, &AddrArg::Path("demo".into())));
    }

    #[test]
    fn utf8_text_is_shown_beside_the_bytes() {
        assert_eq!(
            utf8_text("温度 36.6".as_bytes()).as_deref(),
            Some("温度 36.6")
        );
        assert_eq!(
            utf8_text("é\x1b[2J".as_bytes()).as_deref(),
            Some("é\\u{1b}[2J")
        );
        assert_eq!(utf8_text(b"hello"), None);
        assert_eq!(utf8_text(b"\xff\xfe"), None);
    }

    #[test]
    fn summary_lines() {
        let mut report = RunReport {
            calls: 12,
            expectations_met: 9,
            ..RunReport::default()
        };
        assert_eq!(report.summary(), "ok: 12 calls, 9 expectations met");
        report.failures.push(Failure {
            line: 3,
            column: 4,
            message: "x".into(),
        });
        assert!(
            report
                .summary()
                .starts_with("FAILED: 1 expectation not met")
        );
    }
}

/// What `wire(A, B)` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WireCounts {
    pub segments: u64,
    pub syn: u64,
    pub syn_ack: u64,
    pub fin: u64,
    pub rst: u64,
    pub data: u64,
    pub bytes: u64,
    pub zero_window: u64,
    pub udp: u64,
    /// ICMP port unreachable answers.
    pub port_unreachable: u64,
}

impl WireCounts {
    fn field(&self, name: &str) -> u64 {
        match name {
            "segments" => self.segments,
            "syn" => self.syn,
            "syn_ack" => self.syn_ack,
            "fin" => self.fin,
            "rst" => self.rst,
            "data" => self.data,
            "bytes" => self.bytes,
            "zero_window" => self.zero_window,
            "udp" => self.udp,
            "port_unreachable" => self.port_unreachable,
            _ => 0,
        }
    }
}

/// The segments since `from_us` between the two groups of lanes (either way), or, with one
/// group, to or from it. A flood's summaries count their segments and bytes.
pub fn wire_counts(session: &Session, groups: &[HashSet<SocketId>], from_us: u64) -> WireCounts {
    use crate::engine::{TcpFlags, Transport};
    let in_group = |group: &HashSet<SocketId>, lane: Option<SocketId>| {
        lane.is_some_and(|lane| group.contains(&lane))
    };
    let matches = |from: Option<SocketId>, to: Option<SocketId>| match groups {
        [one] => in_group(one, from) || in_group(one, to),
        [a, b] => (in_group(a, from) && in_group(b, to)) || (in_group(b, from) && in_group(a, to)),
        _ => false,
    };
    let mut counts = WireCounts::default();
    for entry in session.wire().between(from_us, u64::MAX) {
        match entry {
            WireEntry::Segment(segment) => {
                if segment.segment.at_us < from_us || !matches(segment.from_lane, segment.to_lane) {
                    continue;
                }
                counts.segments += 1;
                let payload = u64::from(segment.segment.payload_len());
                if payload > 0 {
                    counts.data += 1;
                    counts.bytes += payload;
                }
                match segment.segment.tcp() {
                    Some(tcp) => {
                        let flags = tcp.flags;
                        if flags.has(TcpFlags::SYN) && flags.has(TcpFlags::ACK) {
                            counts.syn_ack += 1;
                        } else if flags.has(TcpFlags::SYN) {
                            counts.syn += 1;
                        }
                        counts.fin += u64::from(flags.has(TcpFlags::FIN));
                        counts.rst += u64::from(flags.has(TcpFlags::RST));
                        counts.zero_window +=
                            u64::from(tcp.window_raw == 0 && !flags.has(TcpFlags::RST));
                    }
                    None if segment.segment.transport == Transport::PortUnreachable => {
                        counts.port_unreachable += 1;
                    }
                    None => counts.udp += 1,
                }
            }
            WireEntry::Summary(band) => {
                for flow in &band.flows {
                    if matches(flow.from_lane, flow.to_lane) {
                        counts.segments += flow.segments;
                        counts.bytes += flow.payload_bytes;
                        counts.data += flow.segments;
                    }
                }
            }
        }
    }
    counts
}
