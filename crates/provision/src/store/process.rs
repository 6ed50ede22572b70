//! Telling whether the process that took a job lock still runs.
//!
//! A lock records the process id and, on Linux, what makes it unambiguous: the host name, the
//! boot id (`/proc/sys/kernel/random/boot_id`) and the process's start time in clock ticks
//! since boot (field 22 of `/proc/<pid>/stat`). The process is **dead** when the machine was
//! rebooted since (other boot id), when `/proc/<pid>` is gone, when it is a zombie, or when
//! the pid now belongs to a process that started at another time (the pid was reused).
//!
//! It counts as **alive** — its lock is respected — whenever this cannot be checked: on other
//! systems than Linux, without `/proc`, or when the lock was taken on another host (another
//! container sharing the state directory cannot be seen from here).

use std::io::ErrorKind;

/// The process holding a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Owner {
    pub(super) pid: u32,
    pub(super) host: Option<String>,
    pub(super) boot_id: Option<String>,
    pub(super) start: Option<String>,
}

impl Owner {
    /// This process.
    pub(super) fn current() -> Self {
        let pid = std::process::id();
        Self {
            pid,
            host: read_trimmed("/proc/sys/kernel/hostname"),
            boot_id: read_trimmed("/proc/sys/kernel/random/boot_id"),
            start: std::fs::read_to_string("/proc/self/stat")
                .ok()
                .and_then(|stat| parse_stat(&stat))
                .map(|(_, start)| start),
        }
    }

    /// Whether the process still runs, or cannot be checked.
    pub(super) fn is_alive(&self) -> bool {
        let here = Self::current();
        if here.start.is_none() || here.host.is_none() || self.host != here.host {
            return true;
        }
        if self.boot_id.is_some() && here.boot_id.is_some() && self.boot_id != here.boot_id {
            return false;
        }
        match std::fs::read_to_string(format!("/proc/{}/stat", self.pid)) {
            Err(err) => err.kind() != ErrorKind::NotFound,
            Ok(stat) => match parse_stat(&stat) {
                None => true,
                Some((state, _)) if state == 'Z' || state == 'X' => false,
                Some((_, start)) => self.start.as_ref().is_none_or(|s| *s == start),
            },
        }
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// The state letter and start time of a `/proc/<pid>/stat` line. The command name (field 2)
/// is in parentheses and may hold spaces and parentheses itself, so fields are counted from
/// the last `)`.
fn parse_stat(stat: &str) -> Option<(char, String)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // After the state (field 3), the start time is field 22: 18 fields further.
    let start = fields.nth(18)?;
    Some((state, start.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_after_the_command_name() {
        let stat = "1234 (a) b (c)) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 777 20";
        assert_eq!(parse_stat(stat), Some(('S', "777".to_string())));
        assert_eq!(parse_stat("1234 (x) Z"), None);
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn this_process_is_alive() {
        assert!(Owner::current().is_alive());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_reused_pid_or_another_boot_is_dead() {
        let me = Owner::current();
        let reused = Owner {
            start: Some("1".to_string()),
            ..me.clone()
        };
        assert!(!reused.is_alive(), "same pid, other start time");
        let rebooted = Owner {
            boot_id: Some("another boot".to_string()),
            ..me.clone()
        };
        assert!(!rebooted.is_alive());
        let elsewhere = Owner {
            host: Some("another host".to_string()),
            start: Some("1".to_string()),
            ..me.clone()
        };
        assert!(elsewhere.is_alive(), "cannot be checked from here");
    }
}
