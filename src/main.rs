//! `socket-workbench`: the window, or `socket-workbench run FILE` to run a scenario headless.

use clap::{Parser, Subcommand};
use socket_workbench::ui::WorkbenchApp;
use std::path::PathBuf;
use std::process::ExitCode;

/// Open real sockets by pointing and clicking, perform each socket call and see what it did.
#[derive(Debug, Parser)]
#[command(name = "socket-workbench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario or lesson file without a window and print its timeline as text.
    Run {
        /// The scenario file (TOML).
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Run { file }) => socket_workbench::script::run_file(&file),
        None => run_window(),
    }
}

fn run_window() -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Socket Workbench")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Socket Workbench",
        options,
        Box::new(|cc| Ok(Box::new(WorkbenchApp::new(&cc.egui_ctx)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("socket-workbench: could not open the window: {error}");
            ExitCode::FAILURE
        }
    }
}
