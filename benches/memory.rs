//! Memory with the window open while a script floods: the real app (WorkbenchApp in an
//! egui_kittest harness, one frame every 16 ms as a 60 Hz display would ask for) runs a
//! script that floods from one workbench socket to another, and this prints the process's
//! resident memory (RSS, from /proc/self/statm) as the bytes go by.
//!
//! - TCP: 10 GB from a client to a listener's accepted connection (auto receive).
//! - UDP: a flood of 8 KiB datagrams to an auto-receiving socket for MEMORY_UDP_SECS seconds
//!   (default 300).
//!
//! PRODUCT's bound: RSS stays under 300 MB. Run with `cargo bench --bench memory`
//! (MEMORY_TCP_BYTES and MEMORY_UDP_SECS shorten it).

use egui_kittest::Harness;
use socket_workbench::i18n::Lang;
use socket_workbench::script;
use socket_workbench::ui::WorkbenchApp;
use std::time::{Duration, Instant};

const FRAME: Duration = Duration::from_millis(16);
const REPORT_EVERY: Duration = Duration::from_secs(5);

mod common;
use common::rss_mb;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

struct Figures {
    peak_rss_mb: f64,
    last_rss_mb: f64,
    bytes: u64,
    seconds: f64,
}

/// Runs the script in the window, a frame every 16 ms, until `done` says so; prints RSS.
fn run(label: &str, text: &str, done: impl Fn(&WorkbenchApp, Duration) -> bool) -> Figures {
    let mut harness: Harness<'static, WorkbenchApp> = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En));
    let script = script::parse(text).expect("the bench script parses");
    harness.state_mut().open_script(script);
    harness.state_mut().run_all_steps();
    let start = Instant::now();
    let mut next_report = start;
    let mut peak: f64 = 0.0;
    println!("{label}: time s, GB received, RSS MB, log entries, retained MB");
    loop {
        let frame_start = Instant::now();
        harness.step();
        let app = harness.state();
        let rss = rss_mb();
        peak = peak.max(rss);
        let elapsed = start.elapsed();
        let stats = app.session().stats();
        let bytes = stats.bytes_in;
        if frame_start >= next_report {
            println!(
                "  {:>6.1}  {:>7.2}  {:>7.1}  {:>8}  {:>6.1}",
                elapsed.as_secs_f64(),
                bytes as f64 / 1e9,
                rss,
                stats.log_entries,
                stats.retained_bytes as f64 / 1e6
            );
            next_report += REPORT_EVERY;
        }
        if done(app, elapsed) {
            let figures = Figures {
                peak_rss_mb: peak,
                last_rss_mb: rss,
                bytes,
                seconds: elapsed.as_secs_f64(),
            };
            println!(
                "{label}: {:.2} GB in {:.1} s ({:.2} GB/s); RSS peak {:.1} MB, at the end {:.1} MB",
                figures.bytes as f64 / 1e9,
                figures.seconds,
                figures.bytes as f64 / 1e9 / figures.seconds,
                figures.peak_rss_mb,
                figures.last_rss_mb
            );
            return figures;
        }
        std::thread::sleep(FRAME.saturating_sub(frame_start.elapsed()));
    }
}

fn main() {
    let tcp_bytes = env_number("MEMORY_TCP_BYTES", 10_000_000_000);
    let udp_secs = env_number("MEMORY_UDP_SECS", 300);
    println!("RSS before the window: {:.1} MB", rss_mb());

    let tcp = r#"
title = "TCP flood"
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(1)",
  "server.auto(accept, receive)",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
  "client.auto(flood=0)",
]
"#;
    let tcp = run("TCP 10 GB", tcp, |app, elapsed| {
        app.session().stats().bytes_in >= tcp_bytes || elapsed > Duration::from_secs(1200)
    });

    let udp = r#"
title = "UDP flood"
[[step]]
do = [
  "server = socket(AF_INET, SOCK_DGRAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.auto(receive)",
  "client = socket(AF_INET, SOCK_DGRAM)",
  "client.auto(flood=0, to=server)",
]
"#;
    let udp = run(&format!("UDP {udp_secs} s"), udp, |_, elapsed| {
        elapsed >= Duration::from_secs(udp_secs)
    });
    println!(
        "summary: TCP {:.1} GB peak RSS {:.1} MB; UDP {:.0} s ({:.1} GB) peak RSS {:.1} MB; bound 300 MB",
        tcp.bytes as f64 / 1e9,
        tcp.peak_rss_mb,
        udp.seconds,
        udp.bytes as f64 / 1e9,
        udp.peak_rss_mb
    );
}
