//! Fuzzing: every parser that reads what a person or a file gives it — scripts and lessons,
//! workspaces, Packet Sender's saved packets, message templates, the escape, hex and address
//! fields, the stream framer — over generated inputs, each under a watchdog, with time and
//! memory measured. Stable Rust, no extra tools: `cargo bench --bench fuzz` runs a million
//! inputs per target, `tests/fuzz.rs` a short run of each plus every input kept under
//! `tests/fuzz_regressions/<target>/`.
//!
//! - One function per target takes raw bytes ([`script`], [`workspace`], [`packet_sender`],
//!   [`template`], [`framing`], [`escaped`], [`hex`], [`address`]), makes them that target's
//!   input (text: UTF-8 with invalid sequences replaced) and calls it; [`Target`] names them.
//! - [`generate`] makes input number N of a target from a seed and a corpus: the same three
//!   give the same bytes on any machine. It mixes noise, a grammar of the target's fragments
//!   (for scripts: mostly-valid files built from TOML keys and action fragments) and stacked
//!   mutations of real files ([`read_corpus`]).
//! - [`run`] performs a range of inputs: each under a [`Watchdog`] (an input that runs too
//!   long, or a process that grows too large, aborts with the input printed), panics caught
//!   ([`catch`]), peak memory measured per batch of inputs ([`Memory`]) and an input that
//!   alone takes more than a limit found again and reported.

use crate::codec::{self, TextEncoding};
use crate::engine::{AddrArg, Family};
use crate::i18n::Lang;
use crate::messages::template::SplitMix64;
use crate::messages::{
    BodyFormat, framing as framer, packet_sender as importer, template as templates,
};
use crate::script::{self as scripts, Script};
use crate::workspace as workspaces;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The longest input [`generate`] makes (a long repeat is cut here).
pub const MAX_INPUT: usize = 64 * 1024;

/// Inputs between two memory measurements.
const BATCH: u64 = 256;

/// The folder a fuzzed script is taken to live in (for [`crate::script::reaches`]).
const FOLDER: &str = "/home/fuzz/lessons";

// ---------------------------------------------------------------------------------------
// Targets

/// One parser under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// `script::parse_in`, then `script::reaches`, `stage_of` and `key_step` on what parses.
    Script,
    /// `workspace::read`, then `print` and `read` again on what reads.
    Workspace,
    /// `messages::packet_sender::fuzz_one` (packets.ini in both shapes, the JSON export).
    PacketSender,
    /// `messages::template::fuzz_one` (each encoding and hex, expanded).
    Template,
    /// `messages::framing::fuzz_one` (every rule, arbitrary chunks).
    Framing,
    /// `codec::parse_escaped` in each encoding.
    Escaped,
    /// `codec::parse_hex`.
    Hex,
    /// `engine::AddrArg::parse_text` for each family.
    Address,
}

/// What a target made of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused with an error (the error was also worded, as a person would see it).
    Refused,
}

impl Target {
    pub const ALL: [Target; 8] = [
        Target::Script,
        Target::Workspace,
        Target::PacketSender,
        Target::Template,
        Target::Framing,
        Target::Escaped,
        Target::Hex,
        Target::Address,
    ];

    /// Its name on the command line and as a folder of `tests/fuzz_regressions/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Script => "script",
            Target::Workspace => "workspace",
            Target::PacketSender => "packet_sender",
            Target::Template => "template",
            Target::Framing => "framing",
            Target::Escaped => "escaped",
            Target::Hex => "hex",
            Target::Address => "address",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|target| target.name() == name)
    }

    /// Calls the target on `data`.
    pub fn run(self, data: &[u8]) -> Verdict {
        match self {
            Target::Script => script(data),
            Target::Workspace => workspace(data),
            Target::PacketSender => packet_sender(data),
            Target::Template => template(data),
            Target::Framing => framing(data),
            Target::Escaped => escaped(data),
            Target::Hex => hex(data),
            Target::Address => address(data),
        }
    }

    /// Folders (from the repository's root) of real files its inputs are mutated from.
    pub fn corpus_folders(self) -> &'static [&'static str] {
        match self {
            Target::Script | Target::Workspace => &["assets/lessons", "assets/examples"],
            Target::PacketSender => &["tests/fixtures/packet_sender"],
            _ => &[],
        }
    }
}

fn verdict(accepted: bool) -> Verdict {
    if accepted {
        Verdict::Accepted
    } else {
        Verdict::Refused
    }
}

/// Errors are worded in Chinese for an input of odd length, else in English.
fn lang_of(data: &[u8]) -> Lang {
    if data.len() % 2 == 1 {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// What the window and `run` do with a script that parsed.
fn use_script(parsed: &Script, lang: Lang) {
    for reach in scripts::reaches(parsed, Path::new(FOLDER)) {
        let _ = reach.text(lang);
    }
    for index in 0..parsed.steps.len() {
        let _ = parsed.stage_of(index);
    }
    let _ = parsed.key_step();
}

/// A script or lesson file: parsed, its error rendered with the source line and caret.
pub fn script(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    let lang = lang_of(data);
    match scripts::parse_in(lang, &text) {
        Ok(parsed) => {
            use_script(&parsed, lang);
            Verdict::Accepted
        }
        Err(error) => {
            let _ = error.render("fuzz.toml", &text);
            Verdict::Refused
        }
    }
}

/// A workspace file: read; what reads is printed and read again.
pub fn workspace(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    let lang = lang_of(data);
    match workspaces::read(lang, &text) {
        Ok(read) => {
            use_script(&read.script, lang);
            let printed = workspaces::print(&read.workspace);
            let _ = workspaces::read(lang, &printed);
            Verdict::Accepted
        }
        Err(error) => {
            let _ = error.render("fuzz.toml", &text);
            Verdict::Refused
        }
    }
}

/// A Packet Sender file (`packets.ini` or its JSON export).
pub fn packet_sender(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    importer::fuzz_one(&text);
    verdict(importer::import(&text).is_ok())
}

/// A saved message's body with placeholders (accepted: it parses as UTF-8 text).
pub fn template(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    templates::fuzz_one(&text);
    verdict(templates::parse(&text, BodyFormat::Text, TextEncoding::Utf8).is_ok())
}

/// A byte stream through every framing rule (never refused).
pub fn framing(data: &[u8]) -> Verdict {
    framer::fuzz_one(data);
    Verdict::Accepted
}

/// The composer's text field in each encoding (accepted: in UTF-8).
pub fn escaped(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    let mut accepted = false;
    for encoding in TextEncoding::ALL {
        match codec::parse_escaped(&text, encoding) {
            Ok(_) => accepted |= encoding == TextEncoding::Utf8,
            Err(error) => {
                for lang in Lang::ALL {
                    let _ = error.text(lang);
                }
            }
        }
    }
    verdict(accepted)
}

/// The composer's hex field.
pub fn hex(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    match codec::parse_hex(&text) {
        Ok(bytes) => {
            let _ = codec::to_hex(&bytes);
            Verdict::Accepted
        }
        Err(error) => {
            for lang in Lang::ALL {
                let _ = error.text(lang);
            }
            Verdict::Refused
        }
    }
}

/// An address field, for each family (accepted: as an IPv4 or IPv6 address).
pub fn address(data: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(data);
    let lang = lang_of(data);
    let mut accepted = false;
    for family in [Family::Ipv4, Family::Ipv6, Family::Unix] {
        if let Ok(parsed) = AddrArg::parse_text(lang, &text, family) {
            let _ = parsed.to_string();
            accepted |= family != Family::Unix;
        }
    }
    verdict(accepted)
}

// ---------------------------------------------------------------------------------------
// Panics

thread_local! {
    /// Set while [`catch`] runs a call on this thread: its panic is recorded, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The last panic [`catch`] saw on this thread: message and place.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that records a panic inside [`catch`] instead of
/// printing it; any other panic goes to the hook that was there before.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let message = info.payload_as_str().unwrap_or("(a panic without text)");
                let place = info.location().map_or_else(String::new, |at| {
                    format!(" at {}:{}:{}", at.file(), at.line(), at.column())
                });
                CAUGHT.with(|caught| *caught.borrow_mut() = Some(format!("{message}{place}")));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without text)".to_string())
}

/// Runs `call`; a panic becomes `Err` with its message and where it happened (`attempt to
/// negate with overflow at src/script/parse.rs:1436:45`), printed nowhere.
pub fn catch<R>(call: impl FnOnce() -> R) -> Result<R, String> {
    quiet_panics();
    CAUGHT.with(|caught| caught.borrow_mut().take());
    QUIET.with(|quiet| quiet.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    QUIET.with(|quiet| quiet.set(false));
    result.map_err(|payload| {
        CAUGHT
            .with(|caught| caught.borrow_mut().take())
            .unwrap_or_else(|| payload_text(payload.as_ref()))
    })
}

// ---------------------------------------------------------------------------------------
// Memory

/// The process's resident memory, from `/proc/self/status` (zero where it cannot be read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// VmRSS: resident now.
    pub rss_kib: u64,
    /// VmHWM: the most resident since the process started or [`reset_peak`].
    pub peak_kib: u64,
}

impl Memory {
    pub fn now() -> Memory {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|number| number.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_kib: field("VmRSS:"),
            peak_kib: field("VmHWM:"),
        }
    }
}

/// Makes VmHWM start again from the memory resident now (Linux's `/proc/self/clear_refs`);
/// false where that cannot be done (the peak then covers the whole process).
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

// ---------------------------------------------------------------------------------------
// Findings

/// Where an input came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Input number `index` of [`generate`] for `seed`.
    Generated { seed: u64, index: u64 },
    /// A file replayed (its name).
    File(String),
}

/// What went wrong with one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The message and where it happened.
    Panic(String),
    /// Alone, the input made resident memory rise by this much.
    Memory { rise_kib: u64 },
    /// The watchdog stopped the process (too long, or too large): what it saw.
    Watchdog(String),
}

/// An input that made a target fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub target: Target,
    pub origin: Origin,
    pub input: Vec<u8>,
    pub problem: Problem,
}

impl Finding {
    /// What happened, how to run it again, and the input (as a Rust byte string, up to 2 KiB).
    pub fn describe(&self) -> String {
        let name = self.target.name();
        let problem = match &self.problem {
            Problem::Panic(message) => format!("panic: {message}"),
            Problem::Memory { rise_kib } => {
                format!("memory: this input alone took {:.0} MB", mb(*rise_kib))
            }
            Problem::Watchdog(message) => format!("watchdog: {message}"),
        };
        let again = match &self.origin {
            Origin::Generated { seed, index } => format!(
                "seed {seed}, input #{index}; again: FUZZ_TARGET={name} FUZZ_SEED={seed} \
                 FUZZ_FROM={index} FUZZ_INPUTS=1 cargo bench --bench fuzz"
            ),
            Origin::File(file) => format!("kept input {file}"),
        };
        format!(
            "{name}: {problem}\n  ({again})\n  input, {} bytes: {}",
            self.input.len(),
            escape(&self.input, 2048)
        )
    }

    /// Writes the input, whole, to `folder/<target>/<seed>-<index>` (what
    /// `tests/fuzz_regressions/` keeps); the file's path.
    pub fn save(&self, folder: &Path) -> std::io::Result<PathBuf> {
        let file = match &self.origin {
            Origin::Generated { seed, index } => format!("{seed}-{index}"),
            Origin::File(file) => format!("replayed-{}", file.replace(['/', '\\'], "_")),
        };
        let folder = folder.join(self.target.name());
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(file);
        std::fs::write(&path, &self.input)?;
        Ok(path)
    }
}

/// `data` as a Rust byte string literal (`b"s.send(b\'\\x\')"`), cut after `limit` bytes.
pub fn escape(data: &[u8], limit: usize) -> String {
    let shown = data.get(..limit).unwrap_or(data);
    let mut out = String::from("b\"");
    for byte in shown {
        out.extend(std::ascii::escape_default(*byte).map(char::from));
    }
    out.push('"');
    if data.len() > shown.len() {
        let _ = write!(out, " … ({} more bytes)", data.len() - shown.len());
    }
    out
}

// ---------------------------------------------------------------------------------------
// The watchdog

/// How long one input may run and how large the process may grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// One call longer than this aborts the process, the input printed.
    pub timeout: Duration,
    /// Resident memory over this many MB aborts the process (0: no limit).
    pub rss_limit_mb: u64,
    /// An input that alone makes resident memory rise by more than this many MB is a
    /// [`Problem::Memory`] finding.
    pub input_mb: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(5),
            rss_limit_mb: 4096,
            input_mb: 512,
        }
    }
}

/// The input being run, as the watchdog sees it.
#[derive(Default)]
struct Slot {
    since: Option<Instant>,
    target: Option<Target>,
    origin: Option<Origin>,
    input: Vec<u8>,
}

struct Shared {
    slot: Mutex<Slot>,
    stopped: Mutex<bool>,
    wake: Condvar,
    limits: Limits,
    save: Option<PathBuf>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How often the watchdog looks.
const TICK: Duration = Duration::from_millis(50);

/// A thread that watches the calls made through [`Watchdog::guard`]: one that runs longer
/// than [`Limits::timeout`], or the process's resident memory over
/// [`Limits::rss_limit_mb`], prints the target, where the input came from and the input
/// (straight to stderr, past any test's capture), saves it, and aborts the process.
pub struct Watchdog {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    /// Starts watching; `save`: a folder where the input that aborted is written.
    pub fn start(limits: Limits, save: Option<PathBuf>) -> Watchdog {
        let shared = Arc::new(Shared {
            slot: Mutex::new(Slot::default()),
            stopped: Mutex::new(false),
            wake: Condvar::new(),
            limits,
            save,
        });
        let watched = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("fuzz-watchdog".to_string())
            .spawn(move || watch(&watched))
            .ok();
        if thread.is_none() {
            let _ = writeln!(std::io::stderr(), "fuzz: no watchdog (no thread)");
        }
        Watchdog { shared, thread }
    }

    /// Runs `call` on `input` of `target` under watch.
    pub fn guard<R>(
        &self,
        target: Target,
        origin: &Origin,
        input: &[u8],
        call: impl FnOnce() -> R,
    ) -> R {
        {
            let mut slot = lock(&self.shared.slot);
            slot.input.clear();
            slot.input.extend_from_slice(input);
            slot.target = Some(target);
            slot.origin = Some(origin.clone());
            slot.since = Some(Instant::now());
        }
        let result = call();
        lock(&self.shared.slot).since = None;
        result
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        *lock(&self.shared.stopped) = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn watch(shared: &Shared) {
    let mut stopped = lock(&shared.stopped);
    while !*stopped {
        stopped = shared
            .wake
            .wait_timeout(stopped, TICK)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
        if *stopped {
            return;
        }
        if let Some(problem) = shared.problem() {
            shared.give_up(&problem);
        }
    }
}

impl Shared {
    fn problem(&self) -> Option<String> {
        let limit_kib = self.limits.rss_limit_mb.saturating_mul(1024);
        let memory = Memory::now();
        if limit_kib > 0 && memory.rss_kib > limit_kib {
            return Some(format!(
                "resident memory {:.0} MB is over the limit of {} MB (FUZZ_RSS_LIMIT_MB)",
                mb(memory.rss_kib),
                self.limits.rss_limit_mb
            ));
        }
        let busy = lock(&self.slot).since?.elapsed();
        (busy > self.limits.timeout).then(|| {
            format!(
                "one input has run for {:.2} s, over the limit of {:.2} s (FUZZ_TIMEOUT_SECS)",
                busy.as_secs_f64(),
                self.limits.timeout.as_secs_f64()
            )
        })
    }

    /// Says what happened and with which input, then aborts the process.
    fn give_up(&self, problem: &str) -> ! {
        let slot = lock(&self.slot);
        let mut text = String::from("\nfuzz: the watchdog stops the process\n");
        match (slot.target, &slot.origin) {
            (Some(target), Some(origin)) => {
                let finding = Finding {
                    target,
                    origin: origin.clone(),
                    input: slot.input.clone(),
                    problem: Problem::Watchdog(problem.to_string()),
                };
                let _ = writeln!(text, "{}", finding.describe());
                if let Some(folder) = &self.save
                    && let Ok(path) = finding.save(folder)
                {
                    let _ = writeln!(text, "  saved as {}", path.display());
                }
            }
            _ => text.push_str("  (no input had run yet)\n"),
        }
        let _ = std::io::stderr().write_all(text.as_bytes());
        std::process::abort();
    }
}

// ---------------------------------------------------------------------------------------
// Running inputs

/// What [`run`] does.
#[derive(Clone, Debug)]
pub struct Settings {
    pub target: Target,
    pub seed: u64,
    /// The first input's number.
    pub first: u64,
    pub count: u64,
    pub limits: Limits,
    /// Measure the peak memory of each batch of inputs, and find an input that alone takes
    /// more than [`Limits::input_mb`] (resets the process's peak: one runner at a time).
    pub check_memory: bool,
    /// Print each input's number before running it (to find one that kills the process).
    pub trace: bool,
    /// Where the watchdog saves the input it aborts on.
    pub save: Option<PathBuf>,
}

impl Settings {
    pub fn new(target: Target, seed: u64, count: u64) -> Settings {
        Settings {
            target,
            seed,
            first: 0,
            count,
            limits: Limits::default(),
            check_memory: true,
            trace: false,
            save: None,
        }
    }
}

/// The most findings a report keeps (more are counted).
const KEPT_FINDINGS: usize = 20;

/// What a run did.
#[derive(Clone, Debug)]
pub struct Report {
    pub target: Target,
    pub inputs: u64,
    pub accepted: u64,
    pub refused: u64,
    /// Inputs that failed (panic or memory); the first 20 are in `findings`.
    pub failed: u64,
    pub findings: Vec<Finding>,
    pub elapsed: Duration,
    /// The slowest input's time and origin.
    pub slowest: Duration,
    pub slowest_origin: Option<Origin>,
    pub largest_input: usize,
    /// Resident memory when the run began and ended, and the most it reached.
    pub rss_start_kib: u64,
    pub rss_end_kib: u64,
    pub peak_kib: u64,
    /// The allocator's bytes in use when the run began and ended (None where unknown).
    pub heap_start: Option<usize>,
    pub heap_end: Option<usize>,
}

impl Report {
    pub fn new(target: Target) -> Report {
        let memory = Memory::now();
        Report {
            target,
            inputs: 0,
            accepted: 0,
            refused: 0,
            failed: 0,
            findings: Vec::new(),
            elapsed: Duration::ZERO,
            slowest: Duration::ZERO,
            slowest_origin: None,
            largest_input: 0,
            rss_start_kib: memory.rss_kib,
            rss_end_kib: memory.rss_kib,
            peak_kib: memory.peak_kib,
            heap_start: crate::engine::heap_in_use_bytes(),
            heap_end: None,
        }
    }

    /// Inputs per second.
    pub fn rate(&self) -> f64 {
        self.inputs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn found(&mut self, finding: Finding) {
        self.failed += 1;
        if self.findings.len() < KEPT_FINDINGS {
            self.findings.push(finding);
        }
    }

    /// Adds another run's counts (of the same target, run at the same time).
    pub fn merge(&mut self, other: Report) {
        self.inputs += other.inputs;
        self.accepted += other.accepted;
        self.refused += other.refused;
        self.failed += other.failed;
        for finding in other.findings {
            if self.findings.len() < KEPT_FINDINGS {
                self.findings.push(finding);
            }
        }
        self.elapsed = self.elapsed.max(other.elapsed);
        if other.slowest > self.slowest {
            self.slowest = other.slowest;
            self.slowest_origin = other.slowest_origin;
        }
        self.largest_input = self.largest_input.max(other.largest_input);
        self.rss_end_kib = self.rss_end_kib.max(other.rss_end_kib);
        self.peak_kib = self.peak_kib.max(other.peak_kib);
        self.heap_end = self.heap_end.max(other.heap_end);
    }

    /// One line: inputs, rate, verdicts, failures, slowest input, memory.
    pub fn summary(&self) -> String {
        let slowest = match &self.slowest_origin {
            Some(Origin::Generated { index, .. }) => format!(" (#{index})"),
            Some(Origin::File(file)) => format!(" ({file})"),
            None => String::new(),
        };
        let heap = match (self.heap_start, self.heap_end) {
            (Some(start), Some(end)) => format!(
                ", heap in use {:.1} -> {:.1} MB",
                start as f64 / 1e6,
                end as f64 / 1e6
            ),
            _ => String::new(),
        };
        format!(
            "{:<13} {:>9} inputs in {:>6.1} s = {:>8.0}/s; accepted {}, refused {}, failed {}; \
             slowest {:.1} ms{slowest}; largest input {} B; RSS {:.0} -> {:.0} MB, \
             peak {:.0} MB{heap}",
            self.target.name(),
            self.inputs,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.accepted,
            self.refused,
            self.failed,
            self.slowest.as_secs_f64() * 1e3,
            self.largest_input,
            mb(self.rss_start_kib),
            mb(self.rss_end_kib),
            mb(self.peak_kib),
        )
    }
}

/// Runs one input under the watchdog; counts it in `report`.
fn run_input(
    watchdog: &Watchdog,
    target: Target,
    origin: Origin,
    input: &[u8],
    report: &mut Report,
) {
    let began = Instant::now();
    let result = watchdog.guard(target, &origin, input, || catch(|| target.run(input)));
    let took = began.elapsed();
    report.inputs += 1;
    report.largest_input = report.largest_input.max(input.len());
    if took > report.slowest {
        report.slowest = took;
        report.slowest_origin = Some(origin.clone());
    }
    match result {
        Ok(Verdict::Accepted) => report.accepted += 1,
        Ok(Verdict::Refused) => report.refused += 1,
        Err(message) => report.found(Finding {
            target,
            origin,
            input: input.to_vec(),
            problem: Problem::Panic(message),
        }),
    }
}

/// How often [`run`] calls its `progress`.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// Runs inputs `first .. first + count` of [`generate`] on the target, each under a
/// [`Watchdog`], panics caught; `progress` is called every 10 s.
pub fn run(settings: &Settings, corpus: &[Vec<u8>], progress: &mut dyn FnMut(&Report)) -> Report {
    let watchdog = Watchdog::start(settings.limits, settings.save.clone());
    let mut report = Report::new(settings.target);
    let started = Instant::now();
    let mut next_progress = started + PROGRESS_EVERY;
    let end = settings.first.saturating_add(settings.count);
    let mut batch_start = settings.first;
    while batch_start < end {
        let batch_end = batch_start.saturating_add(BATCH).min(end);
        let before = (settings.check_memory && reset_peak()).then(Memory::now);
        for index in batch_start..batch_end {
            if settings.trace {
                let _ = writeln!(
                    std::io::stderr(),
                    "fuzz: {} #{index}",
                    settings.target.name()
                );
            }
            let input = generate(settings.target, settings.seed, index, corpus);
            let origin = Origin::Generated {
                seed: settings.seed,
                index,
            };
            run_input(&watchdog, settings.target, origin, &input, &mut report);
        }
        let after = Memory::now();
        report.peak_kib = report.peak_kib.max(after.peak_kib);
        if let Some(before) = before {
            let rise = after.peak_kib.saturating_sub(before.rss_kib);
            if rise > settings.limits.input_mb.saturating_mul(1024) {
                let inputs = batch_start..batch_end;
                find_large(settings, corpus, &watchdog, inputs, &mut report);
            }
        }
        if Instant::now() >= next_progress {
            report.elapsed = started.elapsed();
            progress(&report);
            next_progress = Instant::now() + PROGRESS_EVERY;
        }
        batch_start = batch_end;
    }
    report.elapsed = started.elapsed();
    report.rss_end_kib = Memory::now().rss_kib;
    report.heap_end = crate::engine::heap_in_use_bytes();
    report
}

/// Runs each input of a batch whose peak memory was over the limit again, alone, and reports
/// those that alone rise over [`Limits::input_mb`].
fn find_large(
    settings: &Settings,
    corpus: &[Vec<u8>],
    watchdog: &Watchdog,
    inputs: std::ops::Range<u64>,
    report: &mut Report,
) {
    let limit_kib = settings.limits.input_mb.saturating_mul(1024);
    for index in inputs {
        let input = generate(settings.target, settings.seed, index, corpus);
        reset_peak();
        let before = Memory::now();
        let origin = Origin::Generated {
            seed: settings.seed,
            index,
        };
        let _ = watchdog.guard(settings.target, &origin, &input, || {
            catch(|| settings.target.run(&input))
        });
        let rise_kib = Memory::now().peak_kib.saturating_sub(before.rss_kib);
        if rise_kib > limit_kib {
            report.found(Finding {
                target: settings.target,
                origin,
                input,
                problem: Problem::Memory { rise_kib },
            });
        }
    }
}

/// Runs kept inputs (name, bytes) on the target, each under the watchdog, panics caught and
/// each input's own peak memory checked against [`Limits::input_mb`].
pub fn replay(target: Target, inputs: &[(String, Vec<u8>)], limits: Limits) -> Report {
    let watchdog = Watchdog::start(limits, None);
    let mut report = Report::new(target);
    let started = Instant::now();
    for (name, input) in inputs {
        let before = reset_peak().then(Memory::now);
        let origin = Origin::File(name.clone());
        run_input(&watchdog, target, origin.clone(), input, &mut report);
        let after = Memory::now();
        report.peak_kib = report.peak_kib.max(after.peak_kib);
        if let Some(before) = before {
            let rise_kib = after.peak_kib.saturating_sub(before.rss_kib);
            if rise_kib > limits.input_mb.saturating_mul(1024) {
                report.found(Finding {
                    target,
                    origin,
                    input: input.clone(),
                    problem: Problem::Memory { rise_kib },
                });
            }
        }
    }
    report.elapsed = started.elapsed();
    report.rss_end_kib = Memory::now().rss_kib;
    report.heap_end = crate::engine::heap_in_use_bytes();
    report
}

// ---------------------------------------------------------------------------------------
// Corpus

/// The files of a folder, sorted by name (so input N is the same on every machine).
fn files_in(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&path).ok()?))
        })
        .collect()
}

/// The inputs kept for `target` under `folder/<target>/` (name and bytes, sorted by name).
pub fn regressions(folder: &Path, target: Target) -> Vec<(String, Vec<u8>)> {
    files_in(&folder.join(target.name()))
        .into_iter()
        .map(|(name, data)| (format!("{}/{name}", target.name()), data))
        .collect()
}

/// What inputs of `target` are mutated from: the real files of its
/// [`Target::corpus_folders`] under `root`, its kept regressions
/// (`root/tests/fuzz_regressions/<target>/`), and [`builtin_corpus`].
pub fn read_corpus(target: Target, root: &Path) -> Vec<Vec<u8>> {
    let mut corpus: Vec<Vec<u8>> = target
        .corpus_folders()
        .iter()
        .flat_map(|folder| files_in(&root.join(folder)))
        .map(|(_, data)| data)
        .collect();
    let kept = regressions(&root.join("tests/fuzz_regressions"), target);
    corpus.extend(kept.into_iter().map(|(_, data)| data));
    corpus.extend(builtin_corpus(target));
    corpus
}

/// A few well-formed inputs of each target, built in.
pub fn builtin_corpus(target: Target) -> Vec<Vec<u8>> {
    let texts: &[&str] = match target {
        Target::Script => &[SCRIPT_SAMPLE],
        Target::Workspace => &[WORKSPACE_SAMPLE, SCRIPT_SAMPLE],
        Target::PacketSender => &[INI_SAMPLE, JSON_SAMPLE],
        Target::Template => &[
            "01 03 00 00 00 0A ${crc16_modbus}",
            "GET / HTTP/1.0\\r\\n\\r\\n",
            "${counter:u16le}${time:%H:%M:%S}${random:4}${local}${peer}${crc32:le}",
            "\\x48\\x49 中 ${sum8}",
        ],
        Target::Framing => &[
            "\u{5}\u{1}\u{0}\u{7}hello\r\nworld\n\r\n",
            "\u{3f}\u{2}\u{9}\u{1}\u{0}\u{5}abcde\u{0}\u{0}\u{0}\u{3}xyz",
        ],
        Target::Escaped => &["hello\\r\\n", "\\x00\\xff\\t\\\\\\'\\\"中"],
        Target::Hex => &["01 03 00 0a", "0x48:0x49-4a\t4b\n", "DEADbeef"],
        Target::Address => &["127.0.0.1:8080", "[::1]:80", "localhost:0", "/tmp/x.sock"],
    };
    texts.iter().map(|text| text.as_bytes().to_vec()).collect()
}

const SCRIPT_SAMPLE: &str = r#"title = "sample"
timeout_ms = 3000
show = ["conn", "client"]

[[step]]
say = "A server and a client."
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(5)",
  "&conn, addr = server.accept()",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)          => None",
  "await server.accept             => ok, blocks < 1s",
  "client.send(b'hi\r\n' * 2)      => 4",
  "data = conn.recv(1024)          => b'hi\r\nhi\r\n'",
  "conn.sendall(data)",
  "conn.kernel()                   => tcp_state == ESTABLISHED",
  "sleep 10ms",
]
stage = ["timeline conn client", "kernel conn"]
key = true
"#;

const WORKSPACE_SAMPLE: &str = r#"title = "Modbus bench"

[[step]]
say = "The workspace's sockets, as they were set up."
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
  "server.bind(('127.0.0.1', 5020))",
  "server.listen(5)",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
  "client.settimeout(0.5)",
  "server.auto(accept, receive, respond='echo')",
]

[workspace]
version = 1

[[workspace.message]]
name = "read registers"
body = "01 03 00 00 00 0A ${crc16_modbus}"
format = "hex"

[[workspace.message]]
name = "hello"
body = "hello ${counter}\r\n"
format = "text"
encoding = "Gbk"
call = "sendto"
destination = "127.0.0.1:9000"
transport = "udp"
repeat_every_ms = 1000

[[workspace.rule]]
match = "prefix"
pattern = "01 03"
format = "hex"
reply = "read registers"

[workspace.composer.client]
text = "hi"
history = ["a", "b"]

[workspace.view]
layout = "side"
"#;

const INI_SAMPLE: &str = "[NAMES]\n1\\name=Ping\nsize=1\n\n[Ping]\nname=Ping\nfromIP=\n\
repeat=@Variant(\\0\\0\\0\\x87=\\xcc\\xcc\\xcd)\ntoIP=127.0.0.1\nport=7\nfromPort=0\n\
tcpOrUdp=TCP\nsendResponse=0\nhexString=\"70 69 6E 67 \"\ntimestamp=\"Thu, 7 Mar 2019\"\n";

const JSON_SAMPLE: &str = r#"[{"asciistring": "SGVsbG8=", "fromip": "", "fromport": "0",
"hexstring": "48 65 6c 6c 6f", "name": "读取", "port": "502", "repeat": 0.5,
"requestpath": "", "sendresponse": "0", "tcporudp": "UDP", "toip": "192.168.1.20"}]"#;

// ---------------------------------------------------------------------------------------
// The generator

/// A seeded source of choices.
struct Rng(SplitMix64);

fn mix(value: u64) -> u64 {
    SplitMix64::new(value).next_u64()
}

impl Rng {
    fn for_input(target: Target, seed: u64, index: u64) -> Rng {
        let salt = mix(target as u64 + 0x5eed);
        Rng(SplitMix64::new(mix(mix(seed ^ salt) ^ index)))
    }

    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// 0 .. n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    /// A length: mostly small, now and then large.
    fn size(&mut self) -> usize {
        match self.below(20) {
            0..=11 => self.below(16),
            12..=16 => self.below(128),
            17..=18 => self.below(1024),
            _ => self.below(16 * 1024),
        }
    }

    /// How often a long repeat repeats.
    fn repeats(&mut self) -> usize {
        [2, 3, 10, 33, 100, 1000, 10_000][self.below(7)]
    }
}

/// Input number `index` of `target` for `seed`: the same seed, index and corpus give the
/// same bytes. Noise (a tenth), the target's grammar (two fifths), and mutations of a corpus
/// file or of grammar output (the rest); at most [`MAX_INPUT`] bytes.
pub fn generate(target: Target, seed: u64, index: u64, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut rng = Rng::for_input(target, seed, index);
    let roll = rng.below(100);
    let mut data = if roll < 5 {
        (0..rng.size()).map(|_| rng.next() as u8).collect()
    } else if roll < 10 {
        dictionary_noise(target, &mut rng)
    } else if roll < 50 {
        grammar(target, &mut rng)
    } else if !corpus.is_empty() && rng.chance(70) {
        corpus[rng.below(corpus.len())].clone()
    } else {
        grammar(target, &mut rng)
    };
    if roll >= 50 || rng.chance(10) {
        let most = if rng.chance(50) { 2 } else { 8 };
        let rounds = 1 + rng.below(most);
        for _ in 0..rounds {
            mutate(target, &mut rng, &mut data, corpus);
        }
    }
    data.truncate(MAX_INPUT);
    data
}

/// Fragments of the target's own language, strung together at random.
fn dictionary_noise(target: Target, rng: &mut Rng) -> Vec<u8> {
    let dictionary = dictionary(target);
    let mut out = String::new();
    for _ in 0..rng.size() {
        out.push_str(rng.pick(dictionary));
        if rng.chance(20) {
            out.push(' ');
        }
    }
    out.into_bytes()
}

fn grammar(target: Target, rng: &mut Rng) -> Vec<u8> {
    let text = match target {
        Target::Script => ScriptGen::new(rng).file(),
        Target::Workspace => {
            let mut generator = ScriptGen::new(rng);
            let mut file = generator.file();
            file.push_str(&generator.workspace_table());
            file
        }
        Target::PacketSender => {
            if rng.chance(50) {
                ini_file(rng)
            } else {
                json_file(rng)
            }
        }
        Target::Template => template_text(rng),
        Target::Framing => return framing_bytes(rng),
        Target::Escaped => fragments(rng, ESCAPED_FRAGMENTS),
        Target::Hex => fragments(rng, HEX_FRAGMENTS),
        Target::Address => address_text(rng),
    };
    text.into_bytes()
}

fn fragments(rng: &mut Rng, list: &[&str]) -> String {
    let count = 1 + rng.size();
    (0..count).map(|_| rng.pick(list)).collect()
}

fn dictionary(target: Target) -> &'static [&'static str] {
    match target {
        Target::Script | Target::Workspace => TOKENS,
        Target::PacketSender => PACKET_SENDER_TOKENS,
        Target::Template => TEMPLATE_FRAGMENTS,
        Target::Framing => FRAMING_TOKENS,
        Target::Escaped => ESCAPED_FRAGMENTS,
        Target::Hex => HEX_FRAGMENTS,
        Target::Address => ADDRESS_TOKENS,
    }
}

/// Bytes a mutation sets.
const INTERESTING_BYTES: [u8; 24] = [
    0, 0xff, 0x7f, 0x80, 0xc3, 0xe4, b'"', b'\'', b'\\', b'\n', b'\r', b'\t', b'[', b']', b'=',
    b'(', b')', b',', b'#', b'$', b'{', b'}', b'%', b' ',
];

/// Characters a mutation inserts.
const ODD_CHARS: &[&str] = &[
    "\u{0}",
    "\u{7f}",
    "\u{80}",
    "\u{a0}",
    "\u{301}",
    "\u{200b}",
    "\u{202e}",
    "\u{2028}",
    "\u{feff}",
    "\u{fffd}",
    "中",
    "\u{1F600}",
    "\u{10FFFF}",
    "\r\n",
    "\r",
];

/// One mutation of `data`.
fn mutate(target: Target, rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let at = rng.below(data.len() + 1);
    match rng.below(16) {
        0 if at < data.len() => data[at] ^= 1 << rng.below(8),
        1 if at < data.len() => data[at] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())],
        2 => {
            let end = (at + 1 + rng.below(32)).min(data.len());
            data.drain(at.min(end)..end);
        }
        3 => {
            let end = (at + 1 + rng.below(64)).min(data.len());
            let copy = data[at.min(end)..end].to_vec();
            let to = rng.below(data.len() + 1);
            data.splice(to..to, copy);
        }
        4 | 5 => {
            let token = rng.pick(dictionary(target)).as_bytes().to_vec();
            data.splice(at..at, token);
        }
        6 => replace_number(rng, data, at),
        7 => data.truncate(at),
        8 => {
            let end = (at + 1 + rng.below(16)).min(data.len());
            let unit = data[at.min(end)..end].to_vec();
            let repeated = unit.repeat(rng.repeats());
            data.splice(at..at, repeated.into_iter().take(MAX_INPUT));
        }
        9 if !corpus.is_empty() => {
            let other = &corpus[rng.below(corpus.len())];
            let from = rng.below(other.len() + 1);
            data.truncate(at);
            data.extend_from_slice(&other[from..]);
        }
        10 => {
            let odd = rng.pick(ODD_CHARS).as_bytes().to_vec();
            data.splice(at..at, odd);
        }
        11 => swap_lines(rng, data),
        12..=15 if matches!(target, Target::Script | Target::Workspace) => {
            rewrite_action(rng, data);
        }
        _ => {
            let noise: Vec<u8> = (0..1 + rng.below(8)).map(|_| rng.next() as u8).collect();
            data.splice(at..at, noise);
        }
    }
    data.truncate(MAX_INPUT);
}

/// Replaces the run of digits at or after `at` with a number at an edge.
fn replace_number(rng: &mut Rng, data: &mut Vec<u8>, at: usize) {
    let Some(start) = data
        .get(at..)
        .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
        .map(|offset| at + offset)
    else {
        return;
    };
    let end = data[start..]
        .iter()
        .position(|byte| !byte.is_ascii_digit())
        .map_or(data.len(), |offset| start + offset);
    let number = rng.pick(NUMBERS).as_bytes().to_vec();
    data.splice(start..end, number);
}

/// Replaces one action string of a script (a line `"...",`) with a generated action naming
/// the sockets the file makes, or adds one before it: the file stays TOML, its actions change.
fn rewrite_action(rng: &mut Rng, data: &mut Vec<u8>) {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let actions: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            line.starts_with('"') && (line.ends_with("\",") || line.ends_with('"'))
        })
        .map(|(index, _)| index)
        .collect();
    if actions.is_empty() {
        return;
    }
    let at = actions[rng.below(actions.len())];
    let mut generator = ScriptGen::new(rng);
    for (before, _) in text.match_indices(" = socket(") {
        let name: String = text[..before]
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<char>>()
            .into_iter()
            .rev()
            .collect();
        generator.made(&name);
    }
    if text.contains(".accept(") {
        generator.made("conn");
    }
    let action = generator.action();
    let line = format!("  \"{}\",\n", generator.basic_body(&action, false));
    if generator.rng.chance(50) {
        lines[at] = line;
    } else {
        lines.insert(at, line);
    }
    *data = lines.concat().into_bytes();
}

fn swap_lines(rng: &mut Rng, data: &mut Vec<u8>) {
    let mut lines: Vec<Vec<u8>> = data
        .split_inclusive(|byte| *byte == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    if lines.len() < 2 {
        return;
    }
    let a = rng.below(lines.len());
    let b = rng.below(lines.len());
    lines.swap(a, b);
    *data = lines.concat();
}

// ---------------------------------------------------------------------------------------
// Script and workspace grammar: each list of good choices has a list of bad ones, used only
// in a file that is allowed faults.

const NAMES: &[&str] = &[
    "s", "server", "client", "u", "late", "名字", "a1", "x", "caster",
];
const NAMES_BAD: &[&str] = &[
    "_",
    "socket",
    "SOCK_X",
    "recv",
    "sleep",
    "await",
    "True",
    "server_conn1",
    "server_conn",
    "data",
    "addr",
    "conn",
    "1x",
];
const METHODS: &[&str] = &[
    "bind",
    "listen",
    "accept",
    "connect",
    "send",
    "sendall",
    "sendto",
    "recv",
    "recvfrom",
    "shutdown",
    "close",
    "setsockopt",
    "getsockopt",
    "setblocking",
    "settimeout",
    "getsockname",
    "getpeername",
    "cancel",
    "auto",
    "kernel",
    "recvv",
    "sendal",
    "",
];
const FAMILIES: &[&str] = &[
    "AF_INET, SOCK_STREAM",
    "AF_INET, SOCK_DGRAM",
    "AF_INET6, SOCK_STREAM",
    "AF_INET6, SOCK_DGRAM",
    "AF_UNIX, SOCK_STREAM",
    "AF_UNIX, SOCK_DGRAM",
    "socket.AF_INET, socket.SOCK_DGRAM",
    "family=AF_INET6, type=SOCK_DGRAM",
    "AF_INET, SOCK_STREAM, 0",
    "AF_INET",
    "",
];
const FAMILIES_BAD: &[&str] = &[
    "AF_PACKET",
    "2",
    "AF_INT",
    "AF_INET, SOCK_RAW",
    "AF_INET, 1",
    "AF_INET, SOCK_STREAM, 6",
    "AF_INET, SOCK_STREAM, 0, 0",
    "proto=0, family=AF_INET",
    "flags=1",
    "AF_INET,, SOCK_STREAM",
];
const HOSTS: &[&str] = &[
    "'127.0.0.1'",
    "'0.0.0.0'",
    "'::1'",
    "'::'",
    "''",
    "'localhost'",
    "'example.com'",
    "'192.168.1.5'",
    "'224.1.1.1'",
    "'255.255.255.255'",
    "'::ffff:127.0.0.1'",
    "socket.gethostname()",
    "\"127.0.0.1\"",
];
const HOSTS_BAD: &[&str] = &[
    "'256.1.1.1'",
    "'[::1]'",
    "'<broadcast>'",
    "gethostname(1)",
    "'127.1'",
    "'fe80::1%lo'",
    "'中'",
    "' 127.0.0.1 '",
    "127.0.0.1",
    "b'127.0.0.1'",
    "None",
    "INADDR_ANY",
];
const PATHS: &[&str] = &[
    "'/tmp/fuzz.sock'",
    "'./x.sock'",
    "'x.sock'",
    "'\\0abstract'",
    "'@abstract'",
    "'../../etc/passwd'",
    "'/home/fuzz/lessons/a.sock'",
    "'/home/fuzz/lessons/../x'",
];
const PATHS_BAD: &[&str] = &["''", "'/'", "'.'", "b'/tmp/x'", "'/tmp/\\x00'"];
/// Files `os.unlink` may remove.
const UNLINK_PATHS: &[&str] = &[
    "'/tmp/fuzz.sock'",
    "'./x.sock'",
    "'../../etc/passwd'",
    "'/home/fuzz/lessons/a.sock'",
];
/// Integers a small argument (a backlog, a size) may be.
const SMALL: &[&str] = &[
    "0", "1", "5", "128", "1024", "4096", "1_000", "0x10", "0o17", "0b101",
];
/// Numbers at the edges (-2^63 only as a product), and numbers that are not integers.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "2",
    "-2",
    "(-4611686018427387904 * 2)",
    "(9223372036854775807 * -1)",
    "65535",
    "65536",
    "65537",
    "-65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775807",
    "4611686018427387904",
    "-4611686018427387904",
    "18446744073709551616",
    "0x7fffffffffffffff",
    "0x8000000000000000",
    "0xffffffffffffffff",
    "0x",
    "0b2",
    "1__0",
    "0.5",
    "0.0",
    "1e3",
    "00",
    "007",
    "3.",
    "1.7976931348623157e308",
    "179769313486231570000000000000000000000000000000000000000000000000000000000000000.0",
    "0.000000000000000000001",
    "True",
    "False",
    "None",
];
/// Numbers at the script's byte limit (64 MiB): rare, as each makes a value that large.
const HUGE_NUMBERS: &[&str] = &[
    "67108864",
    "67108865",
    "33554432",
    "16777216",
    "64 * 1024 * 1024",
];
const DURATIONS: &[&str] = &["200ms", "1s", "0.5s", "100us", "0ms", "10ms", "2s", "1 s"];
const DURATIONS_BAD: &[&str] = &[
    "",
    "ms",
    "-1ms",
    "0.0001ms",
    "2sec",
    "1min",
    "1m",
    "9223372036854775807ms",
    "9223372036854775807s",
    "9223372036854775807min",
    "18446744073709551615us",
    "1.5e3s",
    "1h",
    "1s 1s",
];
const SETSOCKOPT: &[&str] = &[
    "SOL_SOCKET, SO_REUSEADDR, 1",
    "SOL_SOCKET, SO_REUSEPORT, 1",
    "SOL_SOCKET, SO_BROADCAST, 1",
    "SOL_SOCKET, SO_KEEPALIVE, True",
    "SOL_SOCKET, SO_RCVBUF, 4096",
    "SOL_SOCKET, SO_SNDBUF, 65536",
    "SOL_SOCKET, SO_LINGER, linger(0)",
    "SOL_SOCKET, SO_LINGER, struct.pack('ii', 1, 0)",
    "IPPROTO_TCP, TCP_NODELAY, 1",
    "IPPROTO_IP, IP_TTL, 64",
    "IPPROTO_IP, IP_MULTICAST_TTL, 2",
    "IPPROTO_IP, IP_MULTICAST_LOOP, 0",
    "IPPROTO_IP, IP_ADD_MEMBERSHIP, membership('224.1.1.1', '127.0.0.1')",
    "IPPROTO_IP, IP_DROP_MEMBERSHIP, membership('224.1.1.1', '127.0.0.1')",
    "IPPROTO_IPV6, IPV6_V6ONLY, 0",
    "IPPROTO_IPV6, IPV6_JOIN_GROUP, membership('ff02::1', '0')",
];
const LEVELS: &[&str] = &[
    "SOL_SOCKET",
    "IPPROTO_TCP",
    "IPPROTO_UDP",
    "IPPROTO_IP",
    "IPPROTO_IPV6",
    "SOL_TCP",
    "0",
];
const OPTIONS: &[&str] = &[
    "SO_REUSEADDR",
    "SO_LINGER",
    "SO_RCVBUF",
    "SO_ERROR",
    "TCP_NODELAY",
    "IP_MULTICAST_TTL",
    "IP_ADD_MEMBERSHIP",
    "IPV6_V6ONLY",
    "SO_NOPE",
    "SO_REUSEADR",
];
const OPT_VALUES: &[&str] = &[
    "1",
    "True",
    "struct.pack('ii', 1, -1)",
    "struct.pack('ii', 1, 4294967296)",
    "struct.pack('ii')",
    "struct.pack('iii', 1, 2, 3)",
    "struct.pack('4sl', b'x', 0)",
    "linger(None)",
    "linger(-5)",
    "linger(4294967296)",
    "membership('x')",
    "membership('224.0.0.1', '0.0.0.0', 1)",
    "socket.inet_aton('224.0.0.1') + socket.inet_aton('0.0.0.0')",
    "inet_aton('1.2.3.4')",
    "65536",
    "-1",
    "9223372036854775807",
];
const GETSOCKOPT: &[&str] = &[
    "SOL_SOCKET, SO_RCVBUF",
    "SOL_SOCKET, SO_ERROR",
    "SOL_SOCKET, SO_LINGER",
    "IPPROTO_IP, IP_MULTICAST_TTL",
    "IPPROTO_IPV6, IPV6_V6ONLY",
    "IPPROTO_TCP, TCP_NODELAY",
];
const BYTES: &[&str] = &[
    "b'hello'",
    "b''",
    "b'\\x00\\xff'",
    "b'\\r\\n'",
    "rb'\\n'",
    "Rb'\\'",
    "br\"x\"",
    "b\"it's\"",
    "b'\\0'",
    "b'\\1\\12\\123\\1234'",
    "'text'.encode()",
    "'中'.encode('utf-8')",
    "'é'.encode('latin-1')",
    "'x'.encode('UTF8')",
    "b'x' * 1024",
    "b'ab' * -1",
    "b'' * 9223372036854775807",
    "3 * b'ab'",
    "'\\u00e9'.encode('latin1')",
    "'\\U0001F600'.encode()",
    "'\\t'.encode('ascii')",
];
const BYTES_BAD: &[&str] = &[
    "b'\\x'",
    "b'\\x4'",
    "b'\\xZZ'",
    "b'\\q'",
    "b'é'",
    "b'\\777'",
    "b'\\400'",
    "'中'.encode('ascii')",
    "'x'.encode('utf_16')",
    "'x'.decode()",
    "'x'.encode(1)",
    "b'x' * b'x'",
    "b'x' * 1.5",
    "b'x' * 67108865",
    "data",
    "b'",
    "'\\uZZZZ'",
    "'\\N{DASH}'",
    "'text'",
    "1024",
];
/// What any call may be checked against.
const CHECKS: &[&str] = &[
    "ok",
    "None",
    "5",
    "0",
    "-1",
    "ECONNREFUSED",
    "EAGAIN",
    "EWOULDBLOCK",
    "EADDRINUSE",
    "EINPROGRESS",
    "timeout",
    "cancelled",
    "blocks",
    "blocks >= 200ms",
    "blocks < 1s",
    "len == 5",
    "value >= 4096",
    "value != 0",
];
const RECV_CHECKS: &[&str] = &[
    "b'hello'",
    "b''",
    "b'x' * 3",
    "eof",
    "truncated",
    "5",
    "len == 10",
    "timeout",
    "EAGAIN",
    "ok",
    "blocks >= 150ms",
];
const ADDRESS_CHECKS: &[&str] = &[
    "ok",
    "('127.0.0.1', 8080)",
    "('::1', 0)",
    "port >= 1024",
    "port in ephemeral",
    "port != 0",
    "host == '127.0.0.1'",
    "'/tmp/fuzz.sock'",
];
const KERNEL_CHECKS: &[&str] = &[
    "state == LISTEN",
    "tcp_state == ESTABLISHED",
    "accept_queue >= 1",
    "rx_queue > 0",
    "available == 0",
    "sndbuf >= 4096",
    "backlog == 5",
];
const WIRE_CHECKS: &[&str] = &[
    "syn == 1",
    "rst >= 1",
    "segments > 0",
    "bytes == 11",
    "zero_window == 0",
    "fin >= 1",
    "udp == 2",
];
const SYSTEM_CHECKS: &[&str] = &[
    "rows >= 1",
    "time_wait == 1",
    "listen == 0",
    "established >= 1",
];
const UNLINK_CHECKS: &[&str] = &["ok", "None", "ENOENT"];
/// Checks that are wrong somewhere, or not checks at all.
const CHECKS_BAD: &[&str] = &[
    "ENOPE",
    "EAGIAN",
    "TimeoutError",
    "canceled",
    "blocks == 9223372036854775807s",
    "len >= 9223372036854775808",
    "port in",
    "port == 65536",
    "port == -1",
    "from == nobody",
    "state == LISTENING",
    "nonsense",
    "== 5",
    ">= ",
    "ok ok",
    "ok,",
    ",",
    "b'hello'",
    "eof",
    "('127.0.0.1', 8080)",
    "syn == 1",
    "rows >= 1",
    "state == LISTEN",
];
const AUTO_ARGS: &[&str] = &[
    "accept, receive, respond='echo'",
    "accept, receive",
    "receive",
    "receive, bufsize=65536",
    "respond='upper'",
    "accept, respond='http'",
    "receive, respond='time'",
    "receive, respond='c2f'",
    "receive, respond='discard'",
    "flood=0, chunk=100, total=5000",
    "off",
];
const AUTO_ARGS_BAD: &[&str] = &[
    "respond='nope'",
    "respond=echo",
    "flood=-1",
    "flood=9223372036854775807",
    "flood=True",
    "to=('127.0.0.1', 9)",
    "to=nobody",
    "chunk=0",
    "chunk=67108864",
    "chunk=67108865",
    "bufsize=0",
    "'echo'",
    "unknown=1",
    "accept, accept",
];
const RECV_FLAGS: &[&str] = &[
    "MSG_PEEK",
    "MSG_WAITALL",
    "MSG_DONTWAIT",
    "MSG_PEEK | MSG_WAITALL",
    "socket.MSG_PEEK",
];
const RECV_FLAGS_BAD: &[&str] = &[
    "MSG_PEEK | MSG_PEEK",
    "MSG_OOB",
    "flags=MSG_PEEK",
    "MSG_PEEK | 1",
    "-1",
];
const SHUT: &[&str] = &["SHUT_RD", "SHUT_WR", "SHUT_RDWR", "socket.SHUT_WR"];
const SHUT_BAD: &[&str] = &["2", "3", "how=SHUT_WR", "SHUT_NOPE", ""];
const TIMEOUTS: &[&str] = &["0.2", "0", "None", "1", "2", "0.0000001", "1_000"];
const BLOCKING: &[&str] = &["True", "False", "0", "1"];
const TIMEOUTS_BAD: &[&str] = &[
    "-1",
    "1e308",
    "9223372036854775807",
    "1.7976931348623157e308",
    "'1'",
    "18446744073709551.616",
    "None, None",
];
const STAGE_VIEWS: &[&str] = &["timeline", "system", "python", "calls", "wire"];
const STAGE_VIEWS_BAD: &[&str] = &[
    "kernel",
    "nope",
    "kernel a b",
    "system x",
    "",
    "timeline nobody",
];
/// Script fragments, for soup and for mutations.
const TOKENS: &[&str] = &[
    "s = socket(",
    ".bind((",
    "'127.0.0.1'",
    ", 0))",
    "b'\\x",
    "=>",
    "&",
    "await ",
    "*",
    "(",
    ")",
    "[",
    "]",
    ",",
    "=",
    ".",
    "|",
    "-",
    ">=",
    "==",
    "!=",
    "<=",
    ">",
    "<",
    ":",
    "#",
    "'",
    "\"",
    "\"\"\"",
    "'''",
    "b'",
    "r'",
    "\\",
    "\\\\",
    "\\u00e9",
    "\\U0001F600",
    "\\x41",
    "\\e",
    "sleep ",
    "stay",
    "wire",
    " on",
    "system(",
    "os.unlink(",
    ".kernel()",
    ".auto(",
    "socket",
    ".accept()",
    ".recv(",
    ".send(",
    "None",
    "True",
    "ok",
    "blocks",
    "ms",
    "in ephemeral",
    " ",
    "\t",
    "\n",
    "[[step]]\n",
    "[step]",
    "do = [",
    "say = ",
    "title = ",
    "timeout_ms = ",
    "stage = [",
    "key = true",
    "[workspace]\n",
    "[[workspace.message]]\n",
    "[[workspace.rule]]\n",
    "version = ",
    "body = ",
    "pattern = ",
    "65536",
    "-1",
    "9223372036854775808",
    "中",
    "\u{0}",
    "\u{feff}",
    "?",
    "@",
    "$",
    "{",
    "}",
    ";",
    "!",
    "~",
    "%",
    "`",
];

/// Builds script files (and workspace tables) from the lists above. A file is either good
/// throughout (it parses: every name one it has made, every check one its call allows), or
/// has up to three faults, each made at a random choice: every choice before the first is
/// good, so the parser gets that far.
struct ScriptGen<'r> {
    rng: &'r mut Rng,
    /// Faults still to make.
    faults: usize,
    /// A fault's chance at each choice is divided by this (1 to 4: early or late faults).
    spread: usize,
    sockets: Vec<String>,
    /// Sockets with a call started with `&` and not awaited yet.
    pending: Vec<String>,
}

impl<'r> ScriptGen<'r> {
    fn new(rng: &'r mut Rng) -> ScriptGen<'r> {
        let faults = if rng.chance(40) { 1 + rng.below(3) } else { 0 };
        let spread = 1 + rng.below(4);
        ScriptGen {
            rng,
            faults,
            spread,
            sockets: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// Whether to make a fault here (never in a good file).
    fn fault(&mut self, percent: usize) -> bool {
        if self.faults == 0 || self.rng.below(100 * self.spread) >= percent {
            return false;
        }
        self.faults -= 1;
        true
    }

    /// A good choice, or now and then (in a file allowed faults) a bad one.
    fn one(&mut self, good: &[&'static str], bad: &[&'static str]) -> &'static str {
        if self.fault(8) {
            self.rng.pick(bad)
        } else {
            self.rng.pick(good)
        }
    }

    /// A new name: now and then a long one (two of them a letter apart; not longer, as "did
    /// you mean" takes time in the product of their lengths, see tests/fuzz.rs).
    fn fresh_name(&mut self) -> String {
        let long = [20, 30, 100, 330, 1000, 3300][self.rng.below(6)];
        match self.rng.below(100) {
            0 => "a".repeat(long),
            1 => format!("b{}", "a".repeat(long)),
            2 | 3 => format!("s{}", self.rng.below(100_000)),
            _ => self.one(NAMES, NAMES_BAD).to_string(),
        }
    }

    /// A socket made earlier (in a good file always).
    fn socket(&mut self) -> String {
        if self.sockets.is_empty() || self.fault(10) {
            return self.fresh_name();
        }
        let at = self.rng.below(self.sockets.len());
        self.sockets[at].clone()
    }

    /// An integer anywhere: small, random, at an edge, now and then at the byte limit.
    fn number(&mut self) -> String {
        match self.rng.below(400) {
            0 => self.rng.pick(HUGE_NUMBERS).to_string(),
            1..=200 => {
                let minus = if self.rng.chance(10) { "-" } else { "" };
                format!("{minus}{}", self.rng.pick(NUMBERS))
            }
            201..=300 => self.rng.pick(SMALL).to_string(),
            301..=350 => (self.rng.next() as i64).to_string(),
            _ => self.rng.below(70_000).to_string(),
        }
    }

    fn small(&mut self) -> String {
        if self.fault(20) {
            self.number()
        } else {
            self.rng.pick(SMALL).to_string()
        }
    }

    fn port(&mut self) -> String {
        match self.rng.below(4) {
            _ if self.fault(20) => self.number(),
            0 => self
                .rng
                .pick(&["0", "1", "80", "8080", "65535"])
                .to_string(),
            _ => self.rng.below(65_536).to_string(),
        }
    }

    fn bytes(&mut self) -> String {
        if self.rng.below(200) == 0 {
            return format!("b'x' * {}", self.rng.pick(HUGE_NUMBERS));
        }
        self.one(BYTES, BYTES_BAD).to_string()
    }

    fn address(&mut self) -> String {
        match self.rng.below(12) {
            _ if self.fault(10) => self.value(0),
            0..=6 => format!("({}, {})", self.one(HOSTS, HOSTS_BAD), self.port()),
            7 | 8 => self.one(PATHS, PATHS_BAD).to_string(),
            9 | 10 => self.socket(),
            _ => format!(
                "({}, {}, {}, {})",
                self.one(HOSTS, HOSTS_BAD),
                self.port(),
                self.small(),
                self.small()
            ),
        }
    }

    /// Any value, nested now and then (deeply, past the parser's limit, or unbalanced).
    fn value(&mut self, depth: usize) -> String {
        if depth > 3 {
            return self.number();
        }
        match self.rng.below(15) {
            0..=3 => self.number(),
            4 => self.rng.pick(HOSTS_BAD).to_string(),
            5 | 6 => self.rng.pick(BYTES_BAD).to_string(),
            7 => {
                let items: Vec<String> = (0..self.rng.below(5))
                    .map(|_| self.value(depth + 1))
                    .collect();
                let trailing = if self.rng.chance(20) { "," } else { "" };
                format!("({}{trailing})", items.join(", "))
            }
            8 => self.socket(),
            9 => [self.rng.pick(RECV_FLAGS), self.rng.pick(OPTIONS)].join(" | "),
            10 => format!("{} * {}", self.value(depth + 1), self.value(depth + 1)),
            11 => format!("-{}", self.value(depth + 1)),
            12 => {
                let levels = [1, 2, 31, 32, 33, 100, 5000][self.rng.below(7)];
                let close = if self.rng.chance(90) {
                    levels
                } else {
                    levels / 2
                };
                let open = if self.rng.chance(50) { "(" } else { "-(" };
                format!(
                    "{}{}{}",
                    open.repeat(levels),
                    self.number(),
                    ")".repeat(close)
                )
            }
            13 => self.rng.pick(OPT_VALUES).to_string(),
            _ => {
                let args: Vec<String> = (0..self.rng.below(4))
                    .map(|_| self.value(depth + 1))
                    .collect();
                format!("{}({})", self.fresh_name(), args.join(", "))
            }
        }
    }

    fn args(&mut self, count: usize) -> String {
        let args: Vec<String> = (0..count).map(|_| self.value(1)).collect();
        args.join(", ")
    }

    fn made(&mut self, name: &str) {
        if name != "_" && !self.sockets.iter().any(|known| known == name) {
            self.sockets.push(name.to_string());
        }
    }

    fn create(&mut self) -> (String, &'static [&'static str]) {
        let name = self.fresh_name();
        let args = self.one(FAMILIES, FAMILIES_BAD);
        let text = match self.rng.below(10) {
            0 => format!("{name} = socket.socket({args})"),
            1 if self.fault(50) => format!("{name}, x = socket({args})"),
            2 if self.fault(50) => format!("socket({args})"),
            _ => format!("{name} = socket({args})"),
        };
        self.made(&name);
        (text, &["ok", "EMFILE"])
    }

    /// A method, its arguments, the names it assigns and what it may be checked against.
    fn method(&mut self) -> (&'static str, String, &'static str, &'static [&'static str]) {
        if self.fault(5) {
            let count = self.rng.below(4);
            return (self.rng.pick(METHODS), self.args(count), "", CHECKS_BAD);
        }
        match self.rng.below(16) {
            0 => ("bind", self.address(), "", CHECKS),
            1 => ("listen", self.small(), "", CHECKS),
            2 => ("accept", String::new(), "conn, addr = ", ADDRESS_CHECKS),
            3 => ("connect", self.address(), "", CHECKS),
            4 => ("send", self.bytes(), "", CHECKS),
            5 => ("sendall", self.bytes(), "", CHECKS),
            6 => {
                let args = format!("{}, {}", self.bytes(), self.address());
                ("sendto", args, "", CHECKS)
            }
            7 => ("recv", self.small(), "data = ", RECV_CHECKS),
            8 => {
                let mut args = self.small();
                if self.rng.chance(30) {
                    let _ = write!(args, ", {}", self.one(RECV_FLAGS, RECV_FLAGS_BAD));
                }
                ("recvfrom", args, "data, addr = ", RECV_CHECKS)
            }
            9 if self.fault(50) => {
                let args = format!(
                    "{}, {}, {}",
                    self.rng.pick(LEVELS),
                    self.rng.pick(OPTIONS),
                    self.rng.pick(OPT_VALUES)
                );
                ("setsockopt", args, "", CHECKS)
            }
            9 => (
                "setsockopt",
                self.rng.pick(SETSOCKOPT).to_string(),
                "",
                CHECKS,
            ),
            10 => (
                "getsockopt",
                self.rng.pick(GETSOCKOPT).to_string(),
                "",
                CHECKS,
            ),
            11 => {
                let timeout = self.one(TIMEOUTS, TIMEOUTS_BAD).to_string();
                ("settimeout", timeout, "", CHECKS)
            }
            12 => {
                let blocking = self.one(BLOCKING, TIMEOUTS_BAD).to_string();
                ("setblocking", blocking, "", CHECKS)
            }
            13 => ("shutdown", self.one(SHUT, SHUT_BAD).to_string(), "", CHECKS),
            14 => {
                let method = self.rng.pick(&["getpeername", "getsockname"]);
                (method, String::new(), "peer = ", ADDRESS_CHECKS)
            }
            _ => ("close", String::new(), "", CHECKS),
        }
    }

    /// One call on a socket.
    fn call(&mut self) -> (String, &'static [&'static str]) {
        let socket = self.socket();
        let (method, args, targets, checks) = self.method();
        let targets = if self.fault(20) {
            self.rng
                .pick(&["conn = ", "a, b, c = ", "_ = ", "socket = ", "CONN = "])
        } else if self.rng.chance(70) {
            targets
        } else {
            ""
        };
        let blocking = matches!(method, "accept" | "recv" | "recvfrom" | "connect");
        let background = if (blocking && self.rng.chance(25)) || self.fault(10) {
            self.pending.push(socket.clone());
            "&"
        } else {
            ""
        };
        if targets.starts_with("conn") {
            self.made("conn");
        }
        (
            format!("{background}{targets}{socket}.{method}({args})"),
            checks,
        )
    }

    fn auto(&mut self) -> (String, &'static [&'static str]) {
        let args = self.one(AUTO_ARGS, AUTO_ARGS_BAD);
        let socket = self.socket();
        let text = if self.rng.chance(10) {
            format!("{socket}.auto(flood=1000, to={})", self.socket())
        } else {
            format!("{socket}.auto({args})")
        };
        (text, &[])
    }

    /// `await`, for a call started with `&` (in a good file).
    fn await_action(&mut self) -> (String, &'static [&'static str]) {
        if self.pending.is_empty() && !self.fault(30) {
            return (format!("sleep {}", self.rng.pick(DURATIONS)), &[]);
        }
        let socket = if self.pending.is_empty() || self.fault(30) {
            self.socket()
        } else {
            let at = self.rng.below(self.pending.len());
            self.pending.swap_remove(at)
        };
        let call = if self.fault(30) {
            format!(".{}", self.rng.pick(METHODS))
        } else {
            String::new()
        };
        let checks = &[
            "ok",
            "timeout",
            "cancelled",
            "blocks >= 150ms",
            "ECONNREFUSED",
        ];
        (format!("await {socket}{call}"), checks)
    }

    /// Actions that are not a call: await, sleep, wire, system, kernel, unlink, cancel.
    fn other(&mut self) -> (String, &'static [&'static str]) {
        match self.rng.below(10) {
            0 | 1 => self.await_action(),
            2 => (format!("sleep {}", self.one(DURATIONS, DURATIONS_BAD)), &[]),
            3 => (format!("stay {}", self.one(DURATIONS, DURATIONS_BAD)), &[]),
            4 => (
                self.one(&["wire on", "wire off"], &["wire", "wire maybe"])
                    .to_string(),
                &[],
            ),
            5 => {
                let count = if self.fault(30) {
                    self.rng.below(4)
                } else {
                    1 + self.rng.below(2)
                };
                let names: Vec<String> = (0..count).map(|_| self.socket()).collect();
                (format!("wire({})", names.join(", ")), WIRE_CHECKS)
            }
            6 => (format!("system({})", self.address()), SYSTEM_CHECKS),
            7 => (format!("{}.kernel()", self.socket()), KERNEL_CHECKS),
            8 => (
                format!("os.unlink({})", self.one(UNLINK_PATHS, PATHS)),
                UNLINK_CHECKS,
            ),
            _ => {
                let count = usize::from(self.fault(30));
                (
                    format!("{}.cancel({})", self.socket(), self.args(count)),
                    &[],
                )
            }
        }
    }

    /// Fragments strung together, mostly not an action at all.
    fn soup(&mut self) -> String {
        let count = 1 + self.rng.below(24);
        let mut out = String::new();
        for _ in 0..count {
            let piece = match self.rng.below(4) {
                0 => self.rng.pick(NUMBERS),
                1 => self.rng.pick(NAMES_BAD),
                _ => self.rng.pick(TOKENS),
            };
            out.push_str(piece);
            if self.rng.chance(30) {
                out.push(' ');
            }
        }
        out
    }

    /// What follows `=>`: in a good file one outcome (with how long it blocked, or whom a
    /// datagram came from, now and then), or up to three counts of a snapshot or the wire.
    fn checks(&mut self, text: &str, checks: &[&'static str]) -> Vec<String> {
        let counts = text.contains(".kernel(") || text.starts_with("wire(");
        let counts = counts || text.starts_with("system(");
        let count = if counts || self.fault(20) {
            1 + self.rng.below(3)
        } else {
            1
        };
        let mut items: Vec<String> = (0..count)
            .map(|_| self.rng.pick(checks).to_string())
            .collect();
        let address = [".accept(", ".getpeername(", ".getsockname("]
            .iter()
            .any(|call| text.contains(call));
        if address && self.rng.chance(30) {
            items = vec![self.socket()];
        }
        if text.contains(".recvfrom(") && self.rng.chance(30) {
            let socket = self.socket();
            items.push(format!("from == {socket}"));
        }
        if !counts && self.rng.chance(25) {
            items.push(
                self.rng
                    .pick(&["blocks", "blocks >= 200ms", "blocks < 1s"])
                    .to_string(),
            );
        }
        items
    }

    /// One action string's text (before TOML quoting).
    fn action(&mut self) -> String {
        if self.fault(8) {
            return self.soup();
        }
        let (mut text, checks) = match self.rng.below(20) {
            _ if self.sockets.is_empty() && !self.fault(20) => self.create(),
            0..=2 => self.create(),
            3..=13 => self.call(),
            14 => self.auto(),
            _ => self.other(),
        };
        let checks = if self.fault(25) { CHECKS_BAD } else { checks };
        if !checks.is_empty() && self.rng.chance(40) {
            let spaces = " ".repeat(1 + self.rng.below(12));
            let _ = write!(text, "{spaces}=> {}", self.checks(&text, checks).join(", "));
        }
        if self.rng.chance(5) {
            text.push_str("  # a note, with 'quotes' and => in it");
        }
        text
    }

    /// Text in one of TOML's string forms; in a file allowed faults, now and then unescaped.
    fn toml_string(&mut self, text: &str) -> String {
        match self.rng.below(20) {
            _ if self.fault(4) => format!("\"{text}\""),
            13..=15 if !text.contains(['\'', '\n', '\r']) => format!("'{text}'"),
            16 => format!("\"\"\"\n{}\"\"\"", self.basic_body(text, true)),
            17 if !text.contains("'''") && !text.ends_with('\'') => format!("'''{text}'''"),
            _ => format!("\"{}\"", self.basic_body(text, false)),
        }
    }

    /// A basic string's body: escapes where TOML needs them, and now and then where it does
    /// not (`\u00e9`, `\x41`, `\e`, a line-ending backslash), so positions map back through
    /// every kind.
    fn basic_body(&mut self, text: &str, multiline: bool) -> String {
        let escape_all = self.rng.chance(5);
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' if !multiline => out.push_str("\\n"),
                '\u{1b}' => out.push_str("\\e"),
                ' ' if multiline && self.rng.chance(3) => out.push_str("\\\n   "),
                c if (u32::from(c) < 0x20 && c != '\n') || c == '\u{7f}' => {
                    let _ = write!(out, "\\u{:04X}", u32::from(c));
                }
                c if escape_all || self.rng.chance(2) => {
                    if c.is_ascii() && self.rng.chance(50) {
                        let _ = write!(out, "\\x{:02X}", u32::from(c));
                    } else if u32::from(c) > 0xFFFF {
                        let _ = write!(out, "\\U{:08X}", u32::from(c));
                    } else {
                        let _ = write!(out, "\\u{:04X}", u32::from(c));
                    }
                }
                c => out.push(c),
            }
        }
        out
    }

    /// The keys before the first step.
    fn header(&mut self) -> String {
        let mut out = String::new();
        if self.rng.chance(30) {
            out.push_str("# A generated script.\n");
        }
        if self.rng.chance(60) {
            let title = self.toml_string("Fuzz 中文 title");
            let key = self.one(&["title", "title.en", "title.zh"], &["title.fr", "Title"]);
            let _ = writeln!(out, "{key} = {title}");
        }
        if self.rng.chance(30) {
            out.push_str("intro = \"\"\"\nSome words.\nMore.\"\"\"\n");
        }
        if self.rng.chance(40) {
            let good = &["5000", "1", "5_000", "9223372036854775807"];
            let bad = &[
                "0",
                "-1",
                "18446744073709551616",
                "1e3",
                "\"5000\"",
                "inf",
                "nan",
                "true",
            ];
            let _ = writeln!(out, "timeout_ms = {}", self.one(good, bad));
        }
        if self.rng.chance(20) {
            out.push_str("show = [\"conn\", \"client\", \"nobody\"]\n");
        }
        if self.rng.chance(15) {
            let view = self.one(STAGE_VIEWS, STAGE_VIEWS_BAD);
            let _ = writeln!(out, "stage = [\"{view}\"]");
        }
        if self.rng.chance(15) {
            let _ = writeln!(
                out,
                "own_network = {}",
                self.one(&["true", "false"], &["1"])
            );
        }
        if self.fault(5) {
            out.push_str("colour = \"red\"\n");
        }
        out
    }

    /// One `[[step]]`.
    fn step(&mut self) -> String {
        let header = self.one(
            &["[[step]]"],
            &[
                "[step]",
                "[[step]",
                "[[ step ]]",
                "[[steps]]",
                "[[step.do]]",
            ],
        );
        let mut out = format!("\n{header}\n");
        if self.rng.chance(60) {
            let say = self.toml_string("The step's words; 中文 too.");
            let key = self.one(&["say", "say.en", "say.zh"], &["say.de"]);
            let _ = writeln!(out, "{key} = {say}");
        }
        let count = match self.rng.below(30) {
            0 => 0,
            1 => 50 + self.rng.below(200),
            _ => 1 + self.rng.below(10),
        };
        let actions: Vec<String> = (0..count)
            .map(|_| {
                let action = self.action();
                self.toml_string(&action)
            })
            .collect();
        let separator = if self.rng.chance(80) { ",\n  " } else { ", " };
        let trailing = if self.rng.chance(50) { "," } else { "" };
        let _ = writeln!(out, "do = [\n  {}{trailing}\n]", actions.join(separator));
        if self.rng.chance(10) {
            let mut views: Vec<String> = (0..self.rng.below(3))
                .map(|_| format!("\"{}\"", self.one(STAGE_VIEWS, STAGE_VIEWS_BAD)))
                .collect();
            if !self.sockets.is_empty() && self.rng.chance(50) {
                let socket = self.socket();
                views.push(format!("\"kernel {socket}\""));
            }
            let _ = writeln!(out, "stage = [{}]", views.join(", "));
        }
        if self.rng.chance(10) {
            let _ = writeln!(out, "key = {}", self.one(&["true", "false"], &["\"yes\""]));
        }
        out
    }

    /// A whole script file.
    fn file(&mut self) -> String {
        let mut out = self.header();
        let steps = match self.rng.below(25) {
            _ if self.fault(5) => 0,
            0 => 10 + self.rng.below(30),
            _ => 1 + self.rng.below(4),
        };
        for _ in 0..steps {
            out.push_str(&self.step());
        }
        out
    }

    /// A `[workspace]` table: messages, rules, composers, a view, unknown keys.
    fn workspace_table(&mut self) -> String {
        let mut out = String::new();
        if self.rng.chance(10) {
            return out;
        }
        out.push_str("\n[workspace]\n");
        if self.rng.chance(70) {
            let version = self.one(&["1", "2"], &["0", "-1", "4294967296", "\"1\"", "1.5"]);
            let _ = writeln!(out, "version = {version}");
        }
        if self.rng.chance(10) {
            out.push_str("palette = \"dark\"\n");
        }
        for _ in 0..self.rng.below(5) {
            out.push_str(&self.message());
        }
        for _ in 0..self.rng.below(4) {
            out.push_str(&self.rule());
        }
        if self.rng.chance(40) {
            let name = self.socket();
            let text = self.toml_string("hi\\r\\n");
            let hex = self.one(&["true", "false"], &["\"no\""]);
            let _ = writeln!(
                out,
                "\n[workspace.composer.\"{name}\"]\ntext = {text}\nhex = {hex}\nhistory = [\"a\", 1]"
            );
        }
        if self.rng.chance(30) {
            out.push_str("\n[workspace.view]\nlayout = \"side\"\nsizes = [0.5, -1, 1e308]\n");
        }
        if self.rng.chance(5) {
            let depth = self.rng.repeats();
            let close = if self.rng.chance(50) { depth } else { 0 };
            let _ = writeln!(
                out,
                "\n[workspace.view.deep]\na = {}{}",
                "[".repeat(depth),
                "]".repeat(close)
            );
        }
        out
    }

    fn message(&mut self) -> String {
        let mut out = String::from("\n[[workspace.message]]\n");
        let body = template_text(self.rng);
        let destination = address_text(self.rng);
        let fields = [
            ("name", self.toml_string("read registers")),
            ("body", self.toml_string(&body)),
            (
                "format",
                self.one(&["\"hex\"", "\"text\""], &["\"bin\"", "1"])
                    .to_string(),
            ),
            (
                "encoding",
                self.one(&["\"Utf8\"", "\"Gbk\"", "\"Latin1\""], &["\"utf-8\"", "[]"])
                    .to_string(),
            ),
            (
                "call",
                self.one(&["\"send\"", "\"sendall\"", "\"sendto\""], &["\"x\""])
                    .to_string(),
            ),
            ("destination", self.toml_string(&destination)),
            (
                "transport",
                self.one(&["\"tcp\"", "\"udp\""], &["\"ssl\"", "\"TCP\""])
                    .to_string(),
            ),
            (
                "repeat_every_ms",
                self.one(&["0", "1000", "18446744073709551615"], &["-1", "1.5"])
                    .to_string(),
            ),
            ("colour", "\"red\"".to_string()),
        ];
        for (key, value) in fields {
            if self.rng.chance(60) {
                let _ = writeln!(out, "{key} = {value}");
            }
        }
        out
    }

    fn rule(&mut self) -> String {
        let mut out = String::from("\n[[workspace.rule]]\n");
        let pattern = self.rng.pick(&[
            "01 03",
            "hello",
            "(a+)+$",
            "[",
            "\\d{1000}",
            "(?i)中",
            "\\x",
            "",
            ".*.*.*.*.*.*=",
        ]);
        let fields = [
            (
                "match",
                self.one(
                    &["\"exact\"", "\"prefix\"", "\"contains\"", "\"regex\""],
                    &["\"glob\""],
                )
                .to_string(),
            ),
            ("pattern", self.toml_string(pattern)),
            (
                "format",
                self.one(&["\"hex\"", "\"text\""], &["2"]).to_string(),
            ),
            ("reply", self.toml_string("read registers")),
            ("when", "\"always\"".to_string()),
        ];
        for (key, value) in fields {
            if self.rng.chance(70) {
                let _ = writeln!(out, "{key} = {value}");
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Packet Sender, template, escape, hex, address and framing grammars

const INI_KEYS: &[&str] = &[
    "name",
    "fromIP",
    "repeat",
    "toIP",
    "port",
    "fromPort",
    "tcpOrUdp",
    "sendResponse",
    "hexString",
    "requestPath",
    "timestamp",
    "asciiString",
    "errorString",
    "Name",
    "HEXSTRING",
];
const INI_VALUES: &[&str] = &[
    "",
    "Ping 0.1s",
    "\"50% duty, v2\"",
    "\\x5f00\\x59cb",
    "\\x5f00\\x59c",
    "\\xzz",
    "%U5F00%U59CB",
    "%20",
    "%",
    "%U",
    "%UZZZZ",
    "127.0.0.1",
    "::1",
    "example.com",
    "192.168.0.7",
    "7",
    "65535",
    "65536",
    "-1",
    "4294967296",
    "TCP",
    "UDP",
    "SSL",
    "HTTP",
    "DTLS",
    "tcp",
    "@Variant(\\0\\0\\0\\x87=\\xcc\\xcc\\xcd)",
    "@Variant(\\0\\0\\0\\x87?\\x80\\0\\0)",
    "@Variant(\\0\\0\\0\\x87\\0\\0\\0\\0)",
    "@Variant(\\0\\0\\0\\x87\\x7f\\x80\\0\\0)",
    "@Variant(\\0\\0\\0\\x87\\xff\\xff\\xff\\xff)",
    "@Variant(\\0\\0\\0\\x87",
    "@Variant(",
    "@ByteArray(abc)",
    "0.5",
    "86400",
    "86401",
    "1e308",
    "nan",
    "inf",
    "70 69 6E 67",
    "\"70 69 6E 67 \"",
    "7",
    "zz",
    "0x41",
    "\"Thu, 7 Mar 2019 08:00:00\"",
    "\"unclosed",
    "\\",
    "a\\nb",
    "\\\"",
    "中文",
];
const JSON_KEYS: &[&str] = &[
    "name",
    "fromip",
    "repeat",
    "toip",
    "port",
    "fromport",
    "tcporudp",
    "sendresponse",
    "hexstring",
    "requestpath",
    "asciistring",
    "errorstring",
    "NAME",
    "",
];
const JSON_VALUES: &[&str] = &[
    "\"\"",
    "\"UDP hello\"",
    "\"读取寄存器\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\x41\"",
    "\"127.0.0.1\"",
    "\"502\"",
    "502",
    "-1",
    "65536",
    "\"65536\"",
    "0.5",
    "1e308",
    "1e999",
    "-0",
    "86401",
    "18446744073709551616",
    "null",
    "true",
    "[]",
    "{}",
    "[1, 2]",
    "{\"a\": 1}",
    "\"TCP\"",
    "\"SSL\"",
    "\"48 65 6c 6c 6f 0d 0a\"",
    "\"4\"",
    "\"SGVsbG8=\"",
    "\"!!!\"",
];
const PACKET_SENDER_TOKENS: &[&str] = &[
    "[NAMES]\n",
    "size=",
    "1\\name=",
    "name=",
    "hexString=",
    "toIP=",
    "port=",
    "tcpOrUdp=",
    "repeat=",
    "@Variant(\\0\\0\\0\\x87",
    "%20",
    "%U5F00",
    "\\x5f00",
    "[",
    "]",
    "{",
    "}",
    "\"hexstring\": ",
    "\"repeat\": ",
    "\"name\": ",
    ":",
    ",",
    "\"",
    "\n",
    "=",
    "\\",
    "1e308",
    "-1",
    "null",
    "中",
];

fn ini_file(rng: &mut Rng) -> String {
    let mut out = String::new();
    let packets = match rng.below(20) {
        0 => 0,
        1 => 100 + rng.below(2000),
        _ => 1 + rng.below(6),
    };
    if rng.chance(85) {
        out.push_str("[NAMES]\n");
        for number in 1..=packets {
            let _ = writeln!(out, "{number}\\name={}", rng.pick(INI_VALUES));
        }
        let size = [packets.to_string(), "-1".into(), "99999999999".into()][rng.below(3)].clone();
        let _ = writeln!(out, "size={size}");
    }
    for _ in 0..packets {
        let section = ["Ping%200.1s", "%U5F00%U59CB", "Once", "", "a]b", "中"][rng.below(6)];
        let _ = writeln!(out, "\n[{section}]");
        for _ in 0..rng.below(INI_KEYS.len() + 2) {
            let _ = writeln!(out, "{}={}", rng.pick(INI_KEYS), rng.pick(INI_VALUES));
        }
    }
    if rng.chance(10) {
        out.push_str("[General]\nkey\nno equals here\n=value\n");
    }
    out
}

fn json_file(rng: &mut Rng) -> String {
    let packets = match rng.below(20) {
        0 => 0,
        1 => 100 + rng.below(2000),
        _ => 1 + rng.below(6),
    };
    let mut objects = Vec::new();
    for _ in 0..packets {
        let fields: Vec<String> = (0..rng.below(JSON_KEYS.len() + 2))
            .map(|_| format!("\"{}\": {}", rng.pick(JSON_KEYS), rng.pick(JSON_VALUES)))
            .collect();
        objects.push(format!("{{{}}}", fields.join(", ")));
    }
    let body = objects.join(",\n");
    match rng.below(12) {
        0 => format!("{{\"packets\": [{body}]}}"),
        1 => {
            let depth = rng.repeats();
            format!("{}{body}{}", "[".repeat(depth), "]".repeat(depth))
        }
        2 => format!("[{body}"),
        3 => body,
        _ => format!("[{body}]"),
    }
}

const TEMPLATE_FRAGMENTS: &[&str] = &[
    "hello",
    " ",
    "GET / HTTP/1.0",
    "\\r\\n",
    "\\x41",
    "\\x4",
    "\\xZZ",
    "\\q",
    "\\\\",
    "\\",
    "\\0",
    "\\'",
    "${counter}",
    "${counter:u8}",
    "${counter:u16le}",
    "${counter:u32}",
    "${counter:u12}",
    "${counter: u16 }",
    "${time}",
    "${time:%H:%M:%S}",
    "${time:%Y-%m-%d %H:%M:%S%.3f}",
    "${time:%Q}",
    "${time:%}",
    "${time:%-d}",
    "${time:%:z}",
    "${time:%s%f%Z%+}",
    "${time:中}",
    "${random:4}",
    "${random:0}",
    "${random:1024}",
    "${random:1025}",
    "${random:18446744073709551616}",
    "${random}",
    "${local}",
    "${peer}",
    "${local:x}",
    "${crc16_modbus}",
    "${crc16_ccitt_false:le}",
    "${crc32:le}",
    "${crc32:be}",
    "${crc32:middle}",
    "${lrc}",
    "${xor8}",
    "${sum8}",
    "${unknown}",
    "${}",
    "${",
    "}",
    "$",
    "${${counter}}",
    "01 03 00 0A",
    "0x41",
    "4",
    "中",
    "é",
    "\u{1F600}",
    "\u{0}",
];

fn template_text(rng: &mut Rng) -> String {
    fragments(rng, TEMPLATE_FRAGMENTS)
}

const ESCAPED_FRAGMENTS: &[&str] = &[
    "hello",
    " ",
    "\\n",
    "\\r",
    "\\t",
    "\\0",
    "\\\\",
    "\\'",
    "\\\"",
    "\\x41",
    "\\xff",
    "\\x4",
    "\\xZZ",
    "\\x",
    "\\q",
    "\\u{41}",
    "\\",
    "中",
    "é",
    "ÿ",
    "\u{1F600}",
    "\u{0}",
    "\u{feff}",
    "€",
    "\u{80}",
    "\u{301}",
];

const HEX_FRAGMENTS: &[&str] = &[
    "00", "41", "ff", "FF", "a", "0", " ", "  ", "\t", "\n", "\r\n", ":", "-", ",", "0x", "0X",
    "0x0x", "x", "g", "中", "\u{0}", "deadbeef", "0x41", "4 1",
];

const ADDRESS_TOKENS: &[&str] = &[
    "127.0.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "localhost",
    "example.com",
    "[",
    "]",
    ":",
    "::",
    "8080",
    "0",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "-1",
    "+1",
    " ",
    "\t",
    "/tmp/x.sock",
    "@abstract",
    "\u{0}",
    "中",
    "%lo",
];

fn address_text(rng: &mut Rng) -> String {
    let host = rng.pick(&ADDRESS_TOKENS[..6]);
    let port = rng.pick(&ADDRESS_TOKENS[10..20]);
    match rng.below(8) {
        0 => format!("[{host}]:{port}"),
        1 => format!(" {host} : {port} "),
        2 => format!("[{host}]{port}"),
        3 => format!("[{host}:{port}"),
        4 => fragments(rng, ADDRESS_TOKENS),
        _ => format!("{host}:{port}"),
    }
}

const FRAMING_TOKENS: &[&str] = &[
    "\r\n",
    "\n",
    "\r",
    "\u{0}",
    "\u{0}\u{0}",
    "\u{1}",
    "\u{ff}",
    "abc",
    "\u{0}\u{5}",
    "\u{5}\u{0}",
];

/// A header (cap, delimiter, fixed size, chunk sizes: see `framing::fuzz_one`), then a
/// stream of small-alphabet bytes and length-prefixed messages, some lying about their length.
fn framing_bytes(rng: &mut Rng) -> Vec<u8> {
    let mut out: Vec<u8> = (0..4).map(|_| rng.next() as u8).collect();
    for _ in 0..rng.size() {
        match rng.below(6) {
            0 => {
                let length = rng.below(12);
                let width = [1usize, 2, 4][rng.below(3)];
                let prefix = (length as u32).to_be_bytes();
                let prefix = if rng.chance(50) {
                    prefix[4 - width..].to_vec()
                } else {
                    (length as u32).to_le_bytes()[..width].to_vec()
                };
                out.extend(prefix);
                out.extend((0..length).map(|_| b'a' + rng.below(3) as u8));
            }
            1 => out.extend([0xff, 0xff, 0xff, 0xff]),
            _ => {
                let alphabet = [0u8, 1, 2, 3, b'\r', b'\n', 255, b'a'];
                out.push(alphabet[rng.below(alphabet.len())]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_give_the_same_input() {
        let corpus = builtin_corpus(Target::Script);
        for index in 0..200 {
            assert_eq!(
                generate(Target::Script, 7, index, &corpus),
                generate(Target::Script, 7, index, &corpus)
            );
        }
        assert_ne!(
            generate(Target::Script, 7, 3, &corpus),
            generate(Target::Script, 8, 3, &corpus)
        );
    }

    #[test]
    fn a_panic_is_caught_with_its_place() {
        let caught = catch(|| -> u8 { panic!("boom") }).unwrap_err();
        assert!(caught.starts_with("boom at src/fuzz.rs:"), "{caught}");
        assert_eq!(catch(|| 5), Ok(5));
    }

    #[test]
    fn escape_writes_a_rust_byte_string() {
        assert_eq!(escape(b"a\"\\\n\xff", 100), "b\"a\\\"\\\\\\n\\xff\"");
        assert_eq!(escape(b"abcdef", 2), "b\"ab\" … (4 more bytes)");
    }
}
