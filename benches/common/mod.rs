//! What the benches that watch the process share.

/// This process's resident memory in MB (from /proc/self/statm; 0 where it cannot be read).
pub fn rss_mb() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1e6
}
