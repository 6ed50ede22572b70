//! CPU time from `/proc` (Linux): of this process's threads by name, of the calling thread,
//! and of the child processes waited for.

/// Linux's `USER_HZ`: the unit of the times in `/proc/<pid>/stat` (100 on every mainstream
/// architecture).
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU seconds the threads of this process whose name starts with `prefix` have run
/// (`/proc/self/task/*/schedstat`, nanoseconds).
pub(crate) fn threads_named(prefix: &str) -> anyhow::Result<f64> {
    let mut nanos = 0u64;
    for task in std::fs::read_dir("/proc/self/task").map_err(|err| {
        anyhow::anyhow!("cannot read /proc/self/task: {err} (Linux /proc is needed)")
    })? {
        let dir = task?.path();
        let Ok(name) = std::fs::read_to_string(dir.join("comm")) else {
            continue; // the thread ended meanwhile
        };
        if name.trim_end().starts_with(prefix)
            && let Ok(text) = std::fs::read_to_string(dir.join("schedstat"))
        {
            nanos += on_cpu(&text)?;
        }
    }
    Ok(nanos as f64 / 1e9)
}

/// CPU seconds the calling thread has run (`/proc/thread-self/schedstat`; the kernel brings
/// it up to date at every tick and switch, so it lags by a few milliseconds at most).
pub(crate) fn this_thread() -> anyhow::Result<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat")
        .map_err(|err| anyhow::anyhow!("cannot read /proc/thread-self/schedstat: {err}"))?;
    Ok(on_cpu(&text)? as f64 / 1e9)
}

/// User plus system CPU seconds of the children this process has waited for
/// (`cutime` + `cstime` of `/proc/self/stat`).
pub(crate) fn children() -> anyhow::Result<f64> {
    let text = std::fs::read_to_string("/proc/self/stat")
        .map_err(|err| anyhow::anyhow!("cannot read /proc/self/stat: {err}"))?;
    children_of(&text)
}

/// The first field of a `schedstat` line: nanoseconds on a CPU.
fn on_cpu(schedstat: &str) -> anyhow::Result<u64> {
    schedstat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("unexpected schedstat {schedstat:?}"))
}

/// `cutime` + `cstime` (fields 16 and 17) of a `/proc/<pid>/stat` line, in seconds. The
/// command name (field 2) is in parentheses and may hold spaces, so fields count from the last
/// `)`.
fn children_of(stat: &str) -> anyhow::Result<f64> {
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow::anyhow!("unexpected /proc/self/stat {stat:?}"))?;
    // After the `)`: field 3 (state) is the first; cutime is field 16, cstime 17.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |field: usize| -> anyhow::Result<f64> {
        fields
            .get(field - 3)
            .and_then(|n| n.parse::<f64>().ok())
            .ok_or_else(|| anyhow::anyhow!("/proc/self/stat has no field {field}"))
    };
    Ok((tick(16)? + tick(17)?) / TICKS_PER_SECOND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_time_is_cutime_plus_cstime() {
        let stat = "42 (a (b) c) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 250 50 20 0 4 0 5 0 0";
        assert_eq!(children_of(stat).unwrap(), 3.0);
        assert_eq!(on_cpu("1500000000 20 30\n").unwrap(), 1_500_000_000);
    }

    #[test]
    fn this_process_can_be_read() {
        // The kernel adds a running thread's time at ticks and switches: a fresh one may read 0.
        assert!(this_thread().unwrap() >= 0.0);
        assert!(children().unwrap() >= 0.0);
        assert_eq!(threads_named("no-such-thread").unwrap(), 0.0);
    }
}
