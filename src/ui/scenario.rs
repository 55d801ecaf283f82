//! A script (scenario or lesson) running inside the window, one step at a time.
//!
//! The script runner waits for calls to return, so it runs on its own thread; the window
//! passes every engine event it receives on to that thread, and the thread reports back each
//! step's results, the names it gave sockets, and its timeline text. The window never waits.

use crate::engine::{Engine, Event, EventReceiver, SocketId};
use crate::script::{Runner, Script};
use crossbeam_channel::{Receiver, Sender, unbounded};
use std::io::Write;
use std::sync::Arc;
use std::thread::JoinHandle;

enum Request {
    Next,
    All,
    /// Run steps until this many have run.
    UpTo(usize),
}

enum Update {
    StepStarted(usize),
    StepDone {
        step: usize,
        failures: Vec<String>,
        stopped: bool,
        names: Vec<(String, SocketId)>,
    },
    Output(String),
}

/// Sends the runner's timeline text to the window as it is written.
struct UpdateWriter {
    updates: Sender<Update>,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl Write for UpdateWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self
            .updates
            .send(Update::Output(String::from_utf8_lossy(buf).into_owned()));
        (self.wake)();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One step as the window shows it.
#[derive(Clone, Debug)]
pub struct StepView {
    pub say: Option<String>,
    pub actions: Vec<String>,
}

/// A script running beside the window.
pub struct ScenarioRun {
    /// The script as loaded, to start it again (Reset, Previous).
    pub script: Script,
    pub title: String,
    pub intro: Option<String>,
    /// Socket names to show side by side.
    pub show: Vec<String>,
    /// Sockets the script makes HTTP servers of (`auto(..., respond='http')`), for "open in
    /// browser".
    pub http_servers: Vec<String>,
    pub steps: Vec<StepView>,
    /// The step running now, or the last one run.
    pub current: Option<usize>,
    pub running: bool,
    pub finished: bool,
    pub names: Vec<(String, SocketId)>,
    pub failures: Vec<String>,
    pub timeline: String,
    requests: Option<Sender<Request>>,
    updates: Receiver<Update>,
    events: Option<Sender<Event>>,
    thread: Option<JoinHandle<()>>,
}

impl ScenarioRun {
    /// Starts the runner thread on `engine` (a clone of the window's), waiting for requests.
    pub fn start(
        script: Script,
        engine: Engine,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> std::io::Result<ScenarioRun> {
        let (request_tx, request_rx) = unbounded::<Request>();
        let (update_tx, update_rx) = unbounded::<Update>();
        let (event_tx, event_rx) = unbounded::<Event>();
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
        let kept = script.clone();
        let title = script.title.clone();
        let intro = script.intro.clone();
        let show = script.show.clone();
        let http_servers = script
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .filter(|action| action.text.contains(".auto(") && action.text.contains("http"))
            .filter_map(|action| {
                let name = action
                    .text
                    .trim()
                    .trim_start_matches('&')
                    .split('.')
                    .next()?;
                Some(name.trim().to_string())
            })
            .collect();
        let writer = UpdateWriter {
            updates: update_tx.clone(),
            wake: Arc::clone(&wake),
        };
        let thread = std::thread::Builder::new()
            .name("scenario".into())
            .spawn(move || {
                let mut runner =
                    Runner::with_engine(script, engine, EventReceiver::forwarded(event_rx), writer);
                while let Ok(request) = request_rx.recv() {
                    let stop_at = match request {
                        Request::Next => runner.next_step() + 1,
                        Request::All => usize::MAX,
                        Request::UpTo(count) => count,
                    };
                    loop {
                        let step = runner.next_step();
                        if runner.is_finished() || step >= stop_at {
                            break;
                        }
                        let _ = update_tx.send(Update::StepStarted(step));
                        wake();
                        let failures_before = runner.report().failures.len();
                        let report = runner.run_step(step);
                        let failures = runner.report().failures[failures_before..]
                            .iter()
                            .map(|failure| format!("line {}: {}", failure.line, failure.message))
                            .chain(runner.report().stopped.iter().map(|stop| {
                                format!("stopped at line {}: {}", stop.line, stop.message)
                            }))
                            .collect();
                        let _ = update_tx.send(Update::StepDone {
                            step,
                            failures,
                            stopped: report.stopped,
                            names: runner.socket_names(),
                        });
                        wake();
                    }
                }
            })?;
        Ok(ScenarioRun {
            script: kept,
            title,
            intro,
            show,
            http_servers,
            steps,
            current: None,
            running: false,
            finished: false,
            names: Vec::new(),
            failures: Vec::new(),
            timeline: String::new(),
            requests: Some(request_tx),
            updates: update_rx,
            events: Some(event_tx),
            thread: Some(thread),
        })
    }

    /// Hands an engine event on to the runner thread.
    pub fn forward(&self, event: &Event) {
        if let Some(events) = &self.events {
            let _ = events.send(event.clone());
        }
    }

    pub fn run_next(&mut self) {
        if self.running || self.finished {
            return;
        }
        if let Some(requests) = &self.requests {
            self.running = requests.send(Request::Next).is_ok();
        }
    }

    /// Runs steps until `count` of them have run (used to go back: reset, then run to the
    /// step before).
    pub fn run_to(&mut self, count: usize) {
        if self.running || self.finished || count == 0 {
            return;
        }
        if let Some(requests) = &self.requests {
            self.running = requests.send(Request::UpTo(count)).is_ok();
        }
    }

    /// The sockets the script made (and the connections they accepted), to close on Reset.
    pub fn sockets(&self) -> Vec<SocketId> {
        let mut ids: Vec<SocketId> = self.names.iter().map(|(_, id)| *id).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub fn run_all(&mut self) {
        if self.running || self.finished {
            return;
        }
        if let Some(requests) = &self.requests {
            self.running = requests.send(Request::All).is_ok();
        }
    }

    /// Takes the runner's reports. Returns true when a step finished (names may have changed).
    pub fn poll(&mut self) -> bool {
        let mut step_finished = false;
        while let Ok(update) = self.updates.try_recv() {
            match update {
                Update::StepStarted(step) => {
                    self.current = Some(step);
                    self.running = true;
                }
                Update::StepDone {
                    step,
                    failures,
                    stopped,
                    names,
                } => {
                    self.current = Some(step);
                    self.failures.extend(failures);
                    self.names = names;
                    self.finished = stopped || step + 1 >= self.steps.len();
                    step_finished = true;
                    // A run-all request goes on by itself; the next StepStarted says so.
                    self.running = false;
                }
                Update::Output(text) => {
                    self.timeline.push_str(&text);
                    // The timeline is for reading, not an archive: keep its last part.
                    const TIMELINE_LIMIT: usize = 256 * 1024;
                    if self.timeline.len() > TIMELINE_LIMIT {
                        let cut = self.timeline.len() - TIMELINE_LIMIT / 2;
                        let cut = (cut..self.timeline.len())
                            .find(|at| self.timeline.is_char_boundary(*at))
                            .unwrap_or(self.timeline.len());
                        self.timeline.drain(..cut);
                    }
                }
            }
        }
        step_finished
    }

    pub fn socket_named(&self, name: &str) -> Option<SocketId> {
        self.names
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, id)| *id)
    }
}

impl Drop for ScenarioRun {
    fn drop(&mut self) {
        // Closing the channels ends the thread once its current step is over.
        self.requests = None;
        self.events = None;
        if let Some(thread) = self.thread.take() {
            // Do not wait for it: a step may still be waiting for a call (bounded by the
            // script's timeout_ms); the thread ends by itself.
            drop(thread);
        }
    }
}
