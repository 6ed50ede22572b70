//! Resident set size from `/proc/<pid>/status` (Linux).

/// `VmRSS` of a process in KiB (`None` for this process reads `/proc/self`).
pub(crate) fn vm_rss_kib(pid: Option<u32>) -> anyhow::Result<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    let status = std::fs::read_to_string(&path)
        .map_err(|err| anyhow::anyhow!("cannot read {path}: {err} (Linux /proc is needed)"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("{path} has no VmRSS line"))
}

/// KiB as MB (10^6 bytes), as budgets are written.
pub(crate) fn kib_to_mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1_000_000.0
}
