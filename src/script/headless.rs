//! The headless driver: `socket-workbench run FILE`. It owns a [`Core`] and a [`ScriptRun`]
//! and loops: let events arrive (waiting on the core, never polling), then advance the run.

use super::ScriptError;
use super::parse::parse;
use super::run::{Progress, RunReport, ScriptRun, StepReport};
use crate::core::Core;
use crate::engine::{Engine, EventReceiver, SocketId};
use crate::i18n::Lang;
use crate::session::{Limits, Session};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Events applied per wake-up at most, so advancing is never starved by a flood.
const EVENTS_PER_PUMP: usize = 4096;
/// The longest single wait on the core (a `stay` without end waits in slices of this).
const WAIT_SLICE: Duration = Duration::from_millis(100);

/// Performs a script on its own core, one step at a time or all at once.
///
/// ```no_run
/// # use socket_workbench::script::{parse, Runner};
/// let script = parse("[[step]]\ndo = ['s = socket()']").unwrap();
/// let mut runner = Runner::new(script, std::io::stdout());
/// while runner.run_next().is_some() {}
/// let report = runner.finish();
/// assert!(report.passed());
/// ```
pub struct Runner<W: Write> {
    core: Core,
    run: ScriptRun<W>,
}

impl<W: Write> Runner<W> {
    /// The language the run prints its prose and results in (English until told).
    pub fn set_language(&mut self, lang: Lang) {
        self.run.set_language(lang);
    }

    /// A runner with its own fresh engine.
    pub fn new(script: super::Script, out: W) -> Self {
        let (engine, events) = Engine::new(|| {});
        Self::with_engine(script, engine, events, out)
    }

    /// A runner driving the given engine and its events.
    pub fn with_engine(
        script: super::Script,
        engine: Engine,
        events: EventReceiver,
        out: W,
    ) -> Self {
        let core = Core::with_engine(engine, events, Limits::default());
        let run = ScriptRun::new(script, &core, out);
        Runner { core, run }
    }

    /// Changes the session's memory caps (a scenario whose payloads are bigger than the
    /// default log cap, say).
    pub fn set_limits(&mut self, limits: Limits) {
        self.core.set_limits(limits);
    }

    /// When `flag` becomes true, a `sleep` or `stay` ends and no further action runs.
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.run.set_interrupt(flag);
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    pub fn session(&self) -> &Session {
        self.core.session()
    }

    pub fn next_step(&self) -> usize {
        self.run.next_step()
    }

    pub fn is_finished(&self) -> bool {
        self.run.is_finished()
    }

    pub fn report(&self) -> &RunReport {
        self.run.report()
    }

    pub fn socket_named(&self, name: &str) -> Option<SocketId> {
        self.run.socket_named(name)
    }

    pub fn socket_names(&self) -> Vec<(String, SocketId)> {
        self.run.socket_names()
    }

    /// Runs the next step; None when there is none left (or the script stopped).
    pub fn run_next(&mut self) -> Option<StepReport> {
        if self.run.is_finished() {
            return None;
        }
        self.run.request_next();
        self.drive();
        self.run.last_step().cloned()
    }

    /// Runs every remaining step.
    pub fn run_all(&mut self) {
        self.run.request_all();
        self.drive();
    }

    /// Cancels calls still pending, prints the failures again and the summary line, and
    /// returns the report. Dropping the runner closes every socket.
    pub fn finish(mut self) -> RunReport {
        self.run.request_finish();
        self.drive();
        self.run.take_report()
    }

    /// Applies events and advances until the run pauses or ends.
    fn drive(&mut self) {
        loop {
            self.apply_waiting();
            match self.run.advance(&mut self.core, Instant::now()) {
                Progress::Waiting { until } => {
                    let now = Instant::now();
                    let deadline =
                        until.map_or(now + WAIT_SLICE, |until| until.min(now + WAIT_SLICE));
                    let run = &mut self.run;
                    self.core
                        .wait_and_apply(deadline, EVENTS_PER_PUMP, &mut |session, applied| {
                            run.observe(session, applied)
                        });
                }
                Progress::Paused | Progress::Finished => {
                    // What has arrived by now belongs to this step's timeline.
                    self.apply_waiting();
                    return;
                }
            }
        }
    }

    fn apply_waiting(&mut self) {
        let run = &mut self.run;
        while self
            .core
            .apply_waiting(EVENTS_PER_PUMP, &mut |session, applied| {
                run.observe(session, applied)
            })
        {}
    }
}

/// Parses and runs `text`, writing the timeline to `out`. Err only for a malformed script;
/// failed expectations are in the report.
pub fn run_text(text: &str, out: &mut dyn Write) -> Result<RunReport, ScriptError> {
    let script = parse(text)?;
    let mut runner = Runner::new(script, crate::codec::TerminalSafe(out));
    runner.run_all();
    Ok(runner.finish())
}

/// `socket-workbench run FILE`: exit code 0 when every expectation held, 1 when one failed or
/// the script stopped, 2 when the file cannot be read or is malformed (the message, with
/// FILE:LINE:COL, goes to stderr).
pub fn run_file(path: &Path, lang: Lang) -> ExitCode {
    let shown = path.display().to_string();
    let text = match super::read_text(path) {
        Ok(text) => text,
        Err(message) => {
            eprintln!("{}", crate::codec::terminal_safe(&message));
            return ExitCode::from(2);
        }
    };
    let script = match parse(&text) {
        Ok(script) => script,
        Err(error) => {
            eprintln!(
                "{}",
                crate::codec::terminal_safe(&error.render(&shown, &text))
            );
            return ExitCode::from(2);
        }
    };
    run_script(script, lang)
}

/// Runs a parsed script (a file or a built-in lesson) headless, printing its timeline to
/// stdout; the exit code says how it went (0 passed, 1 an expectation failed, 130 Ctrl-C).
pub fn run_script(script: super::Script, lang: Lang) -> ExitCode {
    let stdout = std::io::stdout();
    // Everything printed is escaped: names, paths and data may hold terminal controls.
    let mut runner = Runner::new(script, crate::codec::TerminalSafe(stdout.lock()));
    runner.set_language(lang);
    let interrupt = Arc::new(AtomicBool::new(false));
    {
        let interrupt = Arc::clone(&interrupt);
        // Without a handler Ctrl-C still ends the program, just without the summary.
        let _ = ctrlc::set_handler(move || interrupt.store(true, Ordering::SeqCst));
    }
    runner.set_interrupt(interrupt);
    runner.run_all();
    let report = runner.finish();
    if report.interrupted {
        // 128 + SIGINT, as a shell reports a program ended by Ctrl-C.
        ExitCode::from(130)
    } else if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
