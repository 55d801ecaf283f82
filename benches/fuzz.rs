//! The fuzzing harness, run long: every target of `socket_workbench::fuzz` over a million
//! generated inputs (noise, the target's grammar, mutations of the lessons, examples and
//! Packet Sender fixtures read from the repository now), each under a watchdog.
//!
//! `cargo bench --bench fuzz` runs them all; `cargo bench --bench fuzz -- --help` says what
//! can be set. Per target it prints inputs, inputs per second, accepted and refused counts,
//! the slowest input and the process's memory; an input that panics (or alone takes more
//! than FUZZ_INPUT_MB) is printed as a Rust byte string with its seed and number, and saved
//! under FUZZ_SAVE to be kept in `tests/fuzz_regressions/<target>/`. An input that runs too
//! long, or memory over FUZZ_RSS_LIMIT_MB, aborts the run with the input printed and saved.
//! The exit status is 1 when anything was found.

use socket_workbench::fuzz::{self, Limits, Report, Settings, Target};
use std::path::{Path, PathBuf};
use std::time::Duration;

const USAGE: &str = "\
cargo bench --bench fuzz [-- TARGET...]

Runs each target (all, or those named) over generated inputs. Targets:
  script workspace packet_sender template framing escaped hex address

Environment:
  FUZZ_INPUTS=N         inputs per target (default 1000000)
  FUZZ_SEED=N           the seed (default 1); the same seed makes the same inputs
  FUZZ_FROM=N           the first input's number (default 0)
  FUZZ_TARGET=a,b       the targets to run (as the arguments)
  FUZZ_JOBS=N           threads per target (default 1; memory is then measured per process
                        only, not per input)
  FUZZ_TIMEOUT_SECS=S   one input longer than this aborts the run (default 5)
  FUZZ_RSS_LIMIT_MB=M   resident memory over this aborts the run (default 4096)
  FUZZ_INPUT_MB=M       an input that alone takes more than this is a finding (default 512)
  FUZZ_TRACE=1          print each input's number before running it
  FUZZ_SAVE=DIR         where found inputs are written (default target/fuzz-found)
  FUZZ_ROOT=DIR         the repository whose files are mutated (default this one)

Again with one input: FUZZ_TARGET=script FUZZ_SEED=1 FUZZ_FROM=4711 FUZZ_INPUTS=1
Run long: FUZZ_SEED=$RANDOM FUZZ_INPUTS=100000000 FUZZ_JOBS=2 cargo bench --bench fuzz";

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text.trim().replace('_', "").parse().unwrap_or_else(|_| {
            eprintln!("fuzz: {name}={text} is not a number; using {default}");
            default
        }),
        Err(_) => default,
    }
}

fn env_seconds(name: &str, default: f64) -> f64 {
    match std::env::var(name).map(|text| text.trim().parse::<f64>()) {
        Ok(Ok(seconds)) if seconds.is_finite() && seconds >= 0.0 => seconds,
        Ok(_) => {
            eprintln!("fuzz: {name} is not a number of seconds; using {default}");
            default
        }
        Err(_) => default,
    }
}

fn targets(args: &[String]) -> Vec<Target> {
    let mut names: Vec<String> = args
        .iter()
        .filter(|arg| !arg.starts_with('-'))
        .cloned()
        .collect();
    if let Ok(list) = std::env::var("FUZZ_TARGET") {
        names.extend(list.split(',').map(|name| name.trim().to_string()));
    }
    names.retain(|name| !name.is_empty());
    if names.is_empty() {
        return Target::ALL.to_vec();
    }
    names
        .iter()
        .filter_map(|name| {
            let target = Target::from_name(name);
            if target.is_none() {
                eprintln!("fuzz: no target named {name:?} (see --help)");
                std::process::exit(2);
            }
            target
        })
        .collect()
}

struct Run {
    seed: u64,
    first: u64,
    count: u64,
    jobs: u64,
    limits: Limits,
    trace: bool,
    save: PathBuf,
    root: PathBuf,
}

impl Run {
    fn from_env() -> Run {
        let root = std::env::var_os("FUZZ_ROOT")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
        let save = std::env::var_os("FUZZ_SAVE")
            .map_or_else(|| root.join("target/fuzz-found"), PathBuf::from);
        Run {
            seed: env_number("FUZZ_SEED", 1),
            first: env_number("FUZZ_FROM", 0),
            count: env_number("FUZZ_INPUTS", 1_000_000),
            jobs: env_number("FUZZ_JOBS", 1).max(1),
            limits: Limits {
                timeout: Duration::from_secs_f64(env_seconds("FUZZ_TIMEOUT_SECS", 5.0)),
                rss_limit_mb: env_number("FUZZ_RSS_LIMIT_MB", 4096),
                input_mb: env_number("FUZZ_INPUT_MB", 512),
            },
            trace: std::env::var_os("FUZZ_TRACE").is_some_and(|value| value != "0"),
            save,
            root,
        }
    }

    /// The kept inputs, then `count` generated ones (split among the jobs).
    fn target(&self, target: Target) -> Report {
        let kept = fuzz::regressions(&self.root.join("tests/fuzz_regressions"), target);
        let mut report = fuzz::replay(target, &kept, self.limits);
        if !kept.is_empty() {
            println!("  kept inputs: {}", report.summary());
        }
        let corpus = fuzz::read_corpus(target, &self.root);
        println!(
            "{}: inputs #{}..#{} of seed {}, {} corpus files, {} job(s)",
            target.name(),
            self.first,
            self.first.saturating_add(self.count),
            self.seed,
            corpus.len(),
            self.jobs
        );
        let share = self.count.div_ceil(self.jobs);
        let generated = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..self.jobs)
                .map(|job| {
                    let settings = Settings {
                        target,
                        seed: self.seed,
                        first: self.first + job * share,
                        count: share.min(self.count.saturating_sub(job * share)),
                        limits: self.limits,
                        check_memory: self.jobs == 1,
                        trace: self.trace,
                        save: Some(self.save.clone()),
                    };
                    let corpus = &corpus;
                    scope.spawn(move || {
                        fuzz::run(&settings, corpus, &mut |report| {
                            eprintln!("  job {job}: {}", report.summary());
                        })
                    })
                })
                .collect();
            let mut merged: Option<Report> = None;
            for handle in handles {
                let Ok(report) = handle.join() else {
                    eprintln!("fuzz: a job's thread panicked");
                    std::process::exit(3);
                };
                match merged.as_mut() {
                    Some(all) => all.merge(report),
                    None => merged = Some(report),
                }
            }
            merged
        });
        if let Some(generated) = generated {
            report.merge(generated);
            report.elapsed = report.elapsed.max(Duration::from_nanos(1));
        }
        report
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        println!("{USAGE}");
        return;
    }
    let run = Run::from_env();
    let targets = targets(&args);
    let mut reports = Vec::new();
    for target in targets {
        let report = run.target(target);
        println!("{}", report.summary());
        for finding in &report.findings {
            println!("{}", finding.describe());
            match finding.save(&run.save) {
                Ok(path) => println!("  saved as {}", path.display()),
                Err(error) => println!("  (not saved: {error})"),
            }
        }
        reports.push(report);
    }
    println!("\nsummary (seed {}, from #{}):", run.seed, run.first);
    for report in &reports {
        println!("  {}", report.summary());
    }
    let failed: u64 = reports.iter().map(|report| report.failed).sum();
    if failed > 0 {
        println!(
            "{failed} input(s) failed; see above, and {}",
            show(&run.save)
        );
        std::process::exit(1);
    }
}

fn show(path: &Path) -> String {
    path.display().to_string()
}
