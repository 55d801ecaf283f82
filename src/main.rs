//! `socket-workbench`: the window; `socket-workbench open FILE` to step through a script in
//! the window; `socket-workbench run FILE` to run a script headless.

use clap::{Parser, Subcommand};
use socket_workbench::i18n::Lang;
use socket_workbench::script::{self, Script};
use socket_workbench::ui::{Intent, QuickStart, ViewKind, WorkbenchApp};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Open real sockets by pointing and clicking, perform each socket call and see what it did.
#[derive(Debug, Parser)]
#[command(name = "socket-workbench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Start in projector mode (large, high-contrast).
    #[arg(long, global = true)]
    projector: bool,
    /// Open a view of all sockets at start: timeline, python, calls, system, throughput, wire (repeatable).
    #[arg(long = "view", global = true, value_name = "VIEW")]
    views: Vec<ViewArg>,
    /// The language: zh (简体中文) or en (English). Default: the system locale's (LC_ALL,
    /// LC_MESSAGES, LANG); the window remembers the last one chosen.
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<Lang>,
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
    },
    /// Run a scenario or lesson file without a window and print its timeline as text.
    Run {
        /// The scenario file (TOML).
        file: PathBuf,
    },
    /// Open the window with a scenario or lesson file loaded, to run it step by step.
    Open {
        /// The scenario file (TOML).
        file: PathBuf,
        /// Run every step at once instead of waiting for "Next step".
        #[arg(long)]
        run_all: bool,
        /// Run this many steps at once, then wait for "Next step".
        #[arg(long, value_name = "N")]
        steps: Option<usize>,
        /// Run up to the script's key step (the one marked `key = true`, else the last).
        #[arg(long)]
        key_step: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Run { file }) => {
            script::run_file(file, cli.lang.unwrap_or_else(Lang::from_environment))
        }
        Some(Command::Open {
            file,
            run_all,
            steps,
            key_step,
        }) => match load_script(file) {
            Ok(script) => {
                let steps = if *run_all {
                    Some(usize::MAX)
                } else if *key_step {
                    Some(script.key_step() + 1)
                } else {
                    *steps
                };
                run_window(Start::Script(script, steps), &cli)
            }
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
        },
        Some(Command::Quick { kind }) => {
            let quick = match kind {
                QuickArg::Tcp => QuickStart::TcpPair,
                QuickArg::Udp => QuickStart::UdpPair,
            };
            run_window(Start::Quick(quick), &cli)
        }
        None => run_window(Start::Nothing, &cli),
    }
}

/// What the window does as it opens.
enum Start {
    Nothing,
    /// A script loaded, with this many steps run at once.
    Script(Script, Option<usize>),
    Quick(QuickStart),
}

/// Reads and checks a script; a malformed one is refused with `FILE:LINE:COL: what`.
fn load_script(path: &Path) -> Result<Script, String> {
    let text = script::read_text(path)?;
    script::parse(&text).map_err(|error| error.render(&path.display().to_string(), &text))
}

fn run_window(start: Start, cli: &Cli) -> ExitCode {
    let views: Vec<ViewKind> = cli.views.iter().map(|view| view.kind()).collect();
    let (projector, lang) = (cli.projector, cli.lang);
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
                Start::Nothing => {}
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
