//! Automatic accept when the process has no descriptor left (EMFILE): it backs off instead of
//! spinning, shows the errno, and accepts again once descriptors are free. Its own test
//! binary, because it lowers this process's descriptor limit.

use socket_workbench::engine::{Automation, Event, Family, Outcome};
use std::time::{Duration, Instant};

mod common;
use common::Bench;

fn open_descriptors() -> u64 {
    std::fs::read_dir("/proc/self/fd").map_or(0, |dir| dir.count() as u64)
}

/// This process's soft descriptor limit (from /proc/self/limits).
fn soft_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Sets this process's soft descriptor limit with prlimit(1); false when it cannot.
fn set_soft_limit(soft: u64) -> bool {
    let pid = std::process::id().to_string();
    let limit = format!("--nofile={soft}:");
    std::process::Command::new("prlimit")
        .args(["--pid", &pid, &limit])
        .status()
        .is_ok_and(|status| status.success())
}

#[test]
fn auto_accept_at_emfile_backs_off_and_recovers() {
    let mut bench = Bench::new();
    let (listener, address) = bench.listener(Family::Ipv4, 16);
    bench.automate(
        listener,
        Automation {
            auto_accept: true,
            ..Automation::default()
        },
    );
    let target = common::socket_addr(&address);
    let client =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    let before = open_descriptors();
    let Some(original) = soft_limit() else {
        println!("skipped: /proc/self/limits is not readable");
        return;
    };
    if !set_soft_limit(before) {
        println!("skipped: prlimit is not available to lower the descriptor limit");
        return;
    }
    client
        .connect(&target.into())
        .expect("connect (the kernel completes it)");
    let deadline = Instant::now() + Duration::from_millis(1500);
    let mut emfile = 0;
    while Instant::now() < deadline {
        bench.pump(Duration::from_millis(50));
    }
    for event in &bench.seen {
        if let Event::Returned(returned) = event
            && returned.socket == listener
            && returned.outcome == Outcome::Errno(libc::EMFILE)
        {
            emfile += 1;
        }
    }
    let summaries: u64 = bench
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::Auto(summary) if summary.socket == listener => Some(summary.errors),
            _ => None,
        })
        .sum();
    assert!(set_soft_limit(original), "raise the limit again");
    // Backing off from 50 ms up to 2 s: a handful of tries in 1.5 s, not thousands.
    assert!(emfile >= 1, "EMFILE was never shown");
    assert!(
        emfile + summaries <= 10,
        "{emfile} EMFILE results and {summaries} folded: it spins"
    );
    // With descriptors free again the waiting connection is accepted.
    let deadline = Instant::now() + Duration::from_secs(5);
    let accepted = loop {
        bench.pump(Duration::from_millis(50));
        let accepted = bench.seen.iter().any(|event| {
            matches!(event, Event::Returned(returned) if returned.socket == listener
                && matches!(returned.outcome, Outcome::Ok(_)))
        });
        if accepted || Instant::now() > deadline {
            break accepted;
        }
    };
    assert!(accepted, "accepted after the limit was raised");
}
