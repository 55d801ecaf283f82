//! A script (scenario or lesson) running inside the window, one step at a time.
//!
//! The script is a [`ScriptRun`] over the window's own [`Core`]: the window shows it every
//! event as the core applies it and advances it once per frame. It has no thread and no queue
//! of its own; its timeline text is capped.

use crate::core::Core;
use crate::engine::{Responder, SocketAddress, SocketId};
use crate::i18n::{Lang, LocalText};
use crate::script::{Progress, Script, ScriptRun};
use crate::session::{Applied, Session};
use std::io::Write;
use std::time::Instant;

/// The timeline is for reading, not an archive: beyond this many bytes its oldest half goes.
const TIMELINE_LIMIT_BYTES: usize = 256 * 1024;

/// The run's printed timeline, keeping only its last part.
#[derive(Default)]
pub struct TimelineText {
    text: String,
}

impl TimelineText {
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Write for TimelineText {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.text.push_str(&String::from_utf8_lossy(buf));
        if self.text.len() > TIMELINE_LIMIT_BYTES {
            let cut = self.text.len() - TIMELINE_LIMIT_BYTES / 2;
            let cut = (cut..self.text.len())
                .find(|at| self.text.is_char_boundary(*at))
                .unwrap_or(self.text.len());
            self.text.drain(..cut);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One step as the window shows it.
#[derive(Clone, Debug)]
pub struct StepView {
    pub say: Option<LocalText>,
    pub actions: Vec<String>,
}

/// A script running in the window.
pub struct ScenarioRun {
    /// The script as loaded, to start it again (Reset, Previous).
    pub script: Script,
    pub title: LocalText,
    pub intro: Option<LocalText>,
    /// Socket names to show side by side.
    pub show: Vec<String>,
    pub steps: Vec<StepView>,
    /// The step running now, or the last one run.
    pub current: Option<usize>,
    pub running: bool,
    pub finished: bool,
    pub failures: Vec<String>,
    run: ScriptRun<TimelineText>,
    /// The failures already turned into `failures` lines.
    failures_seen: usize,
    stop_seen: bool,
    /// Steps were asked for since the last advance: the window needs a frame to run them.
    asked: bool,
    /// Where each step that has started began in the session's log ([`Session::log_mark`]).
    step_marks: Vec<u64>,
}

impl ScenarioRun {
    /// Loads `script` to run on `core`'s sockets; nothing runs until a step is asked for.
    pub fn start(script: Script, core: &Core, lang: Lang) -> ScenarioRun {
        let steps = script
            .steps
            .iter()
            .map(|step| StepView {
                say: step.say.clone(),
                actions: step
                    .actions
                    .iter()
                    .map(|action| action.text.clone())
                    .collect(),
            })
            .collect();
        ScenarioRun {
            title: script.title.clone(),
            intro: script.intro.clone(),
            show: script.show.clone(),
            steps,
            current: None,
            running: false,
            finished: false,
            failures: Vec::new(),
            run: {
                // One time origin in the window: its text timeline counts on the session's
                // clock too.
                let mut run = ScriptRun::new(script.clone(), core, TimelineText::default());
                run.use_session_clock();
                run.set_language(lang);
                run
            },
            script,
            failures_seen: 0,
            stop_seen: false,
            asked: false,
            step_marks: Vec::new(),
        }
    }

    /// Takes note of one event as the core applies it.
    pub fn observe(&mut self, session: &Session, applied: Applied) {
        self.run.observe(session, applied);
    }

    /// Runs what can run now. Returns when the window should look again without an event
    /// (a `sleep` ending), if ever.
    pub fn advance(&mut self, core: &mut Core, now: Instant) -> Option<Instant> {
        self.asked = false;
        // The step's calls are logged after this advance issues them: the mark is taken first.
        let mark = core.session().log_mark();
        let progress = self.run.advance(core, now);
        self.current = self.run.current_step();
        if let Some(step) = self.current {
            while self.step_marks.len() <= step {
                self.step_marks.push(mark);
            }
        }
        self.running = self.run.is_busy();
        self.finished = self.run.is_finished();
        let report = self.run.report();
        for failure in &report.failures[self.failures_seen..] {
            self.failures
                .push(format!("line {}: {}", failure.line, failure.message));
        }
        self.failures_seen = report.failures.len();
        if let Some(stop) = &report.stopped
            && !self.stop_seen
        {
            self.stop_seen = true;
            self.failures
                .push(format!("stopped at line {}: {}", stop.line, stop.message));
        }
        match progress {
            Progress::Waiting { until } => until,
            Progress::Paused | Progress::Finished => None,
        }
    }

    /// The language the runner's text goes on in (what it printed stays as it was).
    pub fn set_language(&mut self, lang: Lang) {
        self.run.set_language(lang);
    }

    pub fn run_next(&mut self) {
        if !self.running && !self.finished {
            self.run.request_next();
            self.running = true;
            self.asked = true;
        }
    }

    /// Runs steps until `count` of them have run (used to go back: reset, then run to the
    /// step before).
    pub fn run_to(&mut self, count: usize) {
        if !self.running && !self.finished && count > 0 {
            self.run.request_steps(count);
            self.running = true;
            self.asked = true;
        }
    }

    pub fn run_all(&mut self) {
        if !self.running && !self.finished {
            self.run.request_all();
            self.running = true;
            self.asked = true;
        }
    }

    /// Where step `index` began in the session's log ([`Session::log_mark`]), once it has run.
    pub fn step_mark(&self, index: usize) -> Option<u64> {
        self.step_marks.get(index).copied()
    }

    /// What the presenter stage shows for step `index`.
    pub fn stage_of(&self, index: usize) -> Vec<crate::script::StageView> {
        self.script.stage_of(index)
    }

    /// Steps were asked for and have not been advanced yet.
    pub fn needs_frame(&self) -> bool {
        self.asked
    }

    /// The timeline text the run has printed (its last part).
    pub fn timeline(&self) -> &str {
        self.run.out().as_str()
    }

    /// Every name the script has given a socket (a socket may have several).
    pub fn names(&self) -> Vec<(String, SocketId)> {
        self.run.socket_names()
    }

    /// The sockets the script made (and the connections they accepted), to close on Reset.
    pub fn sockets(&self) -> Vec<SocketId> {
        self.run.socket_ids()
    }

    pub fn socket_named(&self, name: &str) -> Option<SocketId> {
        self.run.socket_named(name)
    }

    /// The script's sockets that serve HTTP (a listener with the HTTP responder), for "open in
    /// browser": their local addresses.
    pub fn http_servers(&self, core: &Core) -> Vec<SocketAddress> {
        let ours = self.sockets();
        core.session()
            .sockets()
            .filter(|view| {
                view.parent.is_none()
                    && !view.closed
                    && view.automation.responder == Some(Responder::HttpHello)
                    && ours.binary_search(&view.id).is_ok()
            })
            .filter_map(|view| view.local.clone())
            .collect()
    }
}
