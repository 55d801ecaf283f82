//! Automatic accept when the process has no descriptor left (EMFILE): it backs off instead of
//! spinning, shows the errno, and accepts again once descriptors are free. Run one at a
//! time with the process's other tests, because it lowers this process's descriptor limit.

use socket_workbench::engine::{Automation, Event, Family, Outcome};
use std::time::{Duration, Instant};

use crate::common::{self, Bench};

/// The number the next new descriptor would get: the lowest free one. RLIMIT_NOFILE limits
/// descriptor *numbers*, and a new descriptor takes the lowest free number, so a soft limit
/// equal to it makes the next one fail with EMFILE while descriptors above it stay open.
fn lowest_free_descriptor() -> u64 {
    let probe = std::fs::File::open("/dev/null").expect("open /dev/null");
    std::os::fd::AsRawFd::as_raw_fd(&probe) as u64
}

// getrlimit/setrlimit have no safe wrapper among our dependencies.
#[allow(unsafe_code)]
fn nofile_limit() -> libc::rlimit {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    let result = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(result, 0, "getrlimit(RLIMIT_NOFILE)");
    limit
}

#[allow(unsafe_code)]
fn set_nofile_limit(limit: libc::rlimit) {
    // SAFETY: setrlimit reads the struct we pass.
    let result = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(result, 0, "setrlimit(RLIMIT_NOFILE)");
}

#[test]
fn auto_accept_at_emfile_backs_off_and_recovers() {
    let _alone = crate::one_at_a_time();
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
    let original = nofile_limit();
    let lowered = lowest_free_descriptor();
    set_nofile_limit(libc::rlimit {
        rlim_cur: lowered,
        rlim_max: original.rlim_max,
    });
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
    set_nofile_limit(original);
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
