//! `socket-workbench`: the window; `socket-workbench open L10|FILE` to step through a lesson
//! or script in the window; `socket-workbench run L10|FILE` to run one headless;
//! `socket-workbench lessons` to list the built-in lessons.

use clap::{Parser, Subcommand};
use socket_workbench::i18n::Lang;
use socket_workbench::lessons;
use socket_workbench::script::{self, Script};
use socket_workbench::ui::{Intent, QuickStart, ViewKind, WorkbenchApp};
use std::path::Path;
use std::process::ExitCode;

/// Open real sockets by pointing and clicking, perform each socket call and see what it did.
#[derive(Debug, Parser)]
#[command(name = "socket-workbench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    window: WindowArgs,
    /// The language: zh (简体中文) or en (English). Default: the system locale's (LC_ALL,
    /// LC_MESSAGES, LANG); the window remembers the last one chosen.
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// What only the window takes (not `run` or `lessons`).
#[derive(Clone, Debug, Default, clap::Args)]
struct WindowArgs {
    /// Start in projector mode (large, high-contrast).
    #[arg(long)]
    projector: bool,
    /// Open a view of all sockets at start: timeline, python, calls, system, throughput, wire (repeatable).
    #[arg(long = "view", value_name = "VIEW")]
    views: Vec<ViewArg>,
}

impl WindowArgs {
    /// What was given before the command and after it (`--projector open L10` and
    /// `open L10 --projector` mean the same).
    fn and(&self, other: &WindowArgs) -> WindowArgs {
        WindowArgs {
            projector: self.projector || other.projector,
            views: self.views.iter().chain(&other.views).copied().collect(),
        }
    }
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::from_code(text).ok_or_else(|| format!("'{text}': the languages are zh and en"))
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ViewArg {
    Timeline,
    Python,
    Calls,
    System,
    Throughput,
    Wire,
    Messages,
}

impl ViewArg {
    fn kind(self) -> ViewKind {
        match self {
            ViewArg::Timeline => ViewKind::Timeline,
            ViewArg::Calls => ViewKind::Calls,
            ViewArg::System => ViewKind::SystemSockets,
            ViewArg::Throughput => ViewKind::Throughput,
            ViewArg::Python => ViewKind::Python,
            ViewArg::Wire => ViewKind::Wire,
            ViewArg::Messages => ViewKind::Messages,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum QuickArg {
    /// A listening server, a client connected to it, and the accepted connection.
    Tcp,
    /// Two UDP sockets bound on 127.0.0.1.
    Udp,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the window with one of the first screen's quick starts done.
    Quick {
        #[arg(value_enum)]
        kind: QuickArg,
        #[command(flatten)]
        window: WindowArgs,
    },
    /// Run a lesson or a scenario file without a window and print its timeline as text.
    Run {
        /// A built-in lesson (L10, 10, or a word of its name: sticky) or a scenario file (TOML).
        lesson_or_file: String,
        /// Run a file even if it reaches beyond this machine's loopback and its own folder
        /// (other hosts, every interface, socket files elsewhere, multicast, floods).
        #[arg(long)]
        trust: bool,
    },
    /// List the built-in lessons.
    Lessons,
    /// Open the window with a lesson or a scenario file loaded, to run it step by step.
    Open {
        /// A built-in lesson (L10, 10, or a word of its name: sticky) or a scenario file (TOML).
        lesson_or_file: String,
        /// Run every step at once instead of waiting for "Next step".
        #[arg(long)]
        run_all: bool,
        /// Run this many steps at once, then wait for "Next step".
        #[arg(long, value_name = "N")]
        steps: Option<usize>,
        /// Run up to the script's key step (the one marked `key = true`, else the last).
        #[arg(long)]
        key_step: bool,
        #[command(flatten)]
        window: WindowArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.unwrap_or_else(Lang::from_environment);
    match &cli.command {
        Some(Command::Run {
            lesson_or_file,
            trust,
        }) => match load_script(lang, lesson_or_file) {
            Ok(script) => {
                if !trust && let Some(refusal) = refusal(lang, lesson_or_file, &script) {
                    for line in refusal {
                        eprintln!("{}", socket_workbench::codec::terminal_safe(&line));
                    }
                    return ExitCode::from(3);
                }
                script::run_script(script, lang)
            }
            Err(message) => {
                eprintln!("{}", socket_workbench::codec::terminal_safe(&message));
                ExitCode::from(2)
            }
        },
        Some(Command::Lessons) => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            for lesson in lessons::builtin() {
                // A closed pipe (`| head`) ends the list quietly.
                if writeln!(out, "{:<28} {}", lesson.file_name, lesson.title.get(lang)).is_err() {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        Some(Command::Open {
            lesson_or_file,
            run_all,
            steps,
            key_step,
            window,
        }) => match load_script(lang, lesson_or_file) {
            Ok(script) => {
                let steps = if *run_all {
                    Some(usize::MAX)
                } else if *key_step {
                    Some(script.key_step() + 1)
                } else {
                    *steps
                };
                // A file (not a built-in lesson) is opened by the window, which asks before
                // one from someone else reaches beyond loopback, and rebuilds a workspace.
                let path = Path::new(lesson_or_file);
                let start = if path.exists() {
                    Start::File(path.to_path_buf(), steps)
                } else {
                    Start::Script(script, steps)
                };
                run_window(start, &cli.window.and(window), cli.lang)
            }
            Err(message) => {
                eprintln!("{}", socket_workbench::codec::terminal_safe(&message));
                ExitCode::from(2)
            }
        },
        Some(Command::Quick { kind, window }) => {
            let quick = match kind {
                QuickArg::Tcp => QuickStart::TcpPair,
                QuickArg::Udp => QuickStart::UdpPair,
            };
            run_window(Start::Quick(quick), &cli.window.and(window), cli.lang)
        }
        None => run_window(Start::Nothing, &cli.window, cli.lang),
    }
}

/// What the window does as it opens.
enum Start {
    Nothing,
    /// A script loaded, with this many steps run at once.
    Script(Script, Option<usize>),
    /// A file: a workspace is rebuilt, a script loaded (this many steps run at once); one
    /// from someone else asks first.
    File(std::path::PathBuf, Option<usize>),
    Quick(QuickStart),
}

/// Why a file from someone else is not run without `--trust`: what it would do beyond
/// loopback and its own folder, one line each. None for a built-in lesson, or a file that
/// stays within them.
fn refusal(lang: Lang, lesson_or_file: &str, script: &Script) -> Option<Vec<String>> {
    let path = Path::new(lesson_or_file);
    if !path.exists()
        || std::fs::read_to_string(path).is_ok_and(|text| lessons::is_builtin_text(&text))
    {
        return None;
    }
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = absolute.parent().unwrap_or(Path::new("/"));
    let reaches = script::reaches(script, folder);
    if reaches.is_empty() {
        return None;
    }
    let said = socket_workbench::t!(lang, "trust-refused", file = lesson_or_file);
    Some(
        std::iter::once(said)
            .chain(
                reaches
                    .iter()
                    .map(|reach| format!("  {}", reach.text(lang))),
            )
            .collect(),
    )
}

/// A file that exists, else the built-in lesson meant (`L10`, `10`, `sticky`); a malformed
/// file is refused with `FILE:LINE:COL: what`.
fn load_script(lang: Lang, lesson_or_file: &str) -> Result<Script, String> {
    let path = Path::new(lesson_or_file);
    let looks_like_a_file = lesson_or_file.ends_with(".toml") || lesson_or_file.contains('/');
    if path.exists() || looks_like_a_file {
        // A path that is not there is said so, as reading it says.
        let text = script::read_text(path)?;
        return script::parse(&text)
            .map_err(|error| error.render(&path.display().to_string(), &text));
    }
    lessons::find(lang, lesson_or_file)?.script
}

fn run_window(start: Start, window: &WindowArgs, lang: Option<Lang>) -> ExitCode {
    let views: Vec<ViewKind> = window.views.iter().map(|view| view.kind()).collect();
    let projector = window.projector;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Socket Workbench")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Socket Workbench",
        options,
        Box::new(move |cc| {
            let mut app = WorkbenchApp::restore(cc);
            if let Some(lang) = lang {
                app.set_language(lang);
            }
            if projector {
                app.set_projector(true);
            }
            for kind in views {
                if !app.view_open(kind) {
                    app.toggle_view(kind);
                }
            }
            match start {
                Start::Nothing => app.restore_last_workspace(),
                Start::File(path, steps) => {
                    if let Err(message) = app.open_script_file(&path, steps) {
                        app.say(message);
                    }
                }
                Start::Script(script, steps) => {
                    app.open_script(script);
                    if let Some(steps) = steps {
                        app.run_steps(steps);
                    }
                }
                Start::Quick(quick) => app.apply_intent(Intent::QuickStart(quick)),
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("socket-workbench: could not open the window: {error}");
            ExitCode::FAILURE
        }
    }
}
