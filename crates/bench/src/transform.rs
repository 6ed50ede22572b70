//! `sapland-bench transform`: SAP's default IAS v2 write transformation over seeded users,
//! `sapland transform --batch` against `jq` running the equivalent program
//! (`crates/bench/jq/ias-target-v2.jq`) over the same file, in the same run.
//!
//! Both are timed as whole processes (start, reading the file, writing the output to a file,
//! exit), once per round in rotating order, together with two diagnoses: each tool's floor
//! (sapland with a transformation without mappings, `jq -c .`). A first untimed run of sapland
//! and jq warms the page cache and gives the outputs that are compared byte for byte.

pub(crate) mod users;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, bail, ensure};
use jiff::Timestamp;

use crate::report::{self, Row, median};

/// How the run is set up.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Users in the input file.
    pub(crate) users: usize,
    /// Measured rounds; each runs sapland and jq once, in alternating order.
    pub(crate) rounds: usize,
    /// The `sapland` binary.
    pub(crate) sapland: PathBuf,
    /// The `jq` binary (a name is looked up in `PATH`).
    pub(crate) jq: PathBuf,
    /// Where to keep the input, the jq program and both outputs (for profiling); a temporary
    /// directory, removed when done, when `None`.
    pub(crate) keep: Option<PathBuf>,
}

/// The jq program, embedded so the benchmark runs the program it was built with.
const JQ_PROGRAM: &str = include_str!("../jq/ias-target-v2.jq");

/// The seed of the fake users and of `sapland transform`.
const SEED: u64 = 1;

/// The landscape time of the seeded users and of `sapland transform --now`.
const NOW: &str = "2026-11-22T09:00:00Z";

/// A transformation without mappings: `sapland transform` then only reads, parses, and prints
/// `{"outcome":"written","entity":{}}` — its floor.
const NO_MAPPINGS: &str = r#"{"user": {"mappings": []}}"#;

/// One timed run of a program.
struct Program {
    program: PathBuf,
    args: Vec<String>,
    output: PathBuf,
}

/// Runs the measurement and returns the table rows.
pub(crate) fn run(options: &Options, notes: &mut Vec<String>) -> anyhow::Result<Vec<Row>> {
    let jq_version = jq_version(&options.jq)?;
    ensure!(
        options.sapland.is_file(),
        "{} does not exist: build it first with `cargo build --release -p sapland`",
        options.sapland.display()
    );
    let mut temporary = None;
    let scratch = match &options.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.clone()
        }
        None => temporary
            .insert(
                tempfile::Builder::new()
                    .prefix("sapland-bench-transform-")
                    .tempdir()?,
            )
            .path()
            .to_path_buf(),
    };
    let input = scratch.join("users.ndjson");
    crate::note(&format!(
        "transform: seeding {} users into a mock IAS directory and writing them as NDJSON",
        options.users
    ));
    let now: Timestamp = NOW.parse()?;
    let started = Instant::now();
    let generated = users::write(&input, options.users, SEED, now)?;
    let generate_seconds = started.elapsed().as_secs_f64();
    let program_file = scratch.join("ias-target-v2.jq");
    std::fs::write(&program_file, JQ_PROGRAM)?;

    let input_text = input.display().to_string();
    let sapland = Program {
        program: options.sapland.clone(),
        args: [
            "transform",
            "--template",
            "ias-target-v2",
            "--entity",
            "user",
            "--input",
            &input_text,
            "--batch",
            "--now",
            NOW,
            "--seed",
            &SEED.to_string(),
        ]
        .map(String::from)
        .to_vec(),
        output: scratch.join("sapland.ndjson"),
    };
    let jq = Program {
        program: options.jq.clone(),
        args: ["-c", "-f", &program_file.display().to_string(), &input_text]
            .map(String::from)
            .to_vec(),
        output: scratch.join("jq.ndjson"),
    };

    let empty_file = scratch.join("no-mappings.json");
    std::fs::write(&empty_file, NO_MAPPINGS)?;
    let sapland_floor = Program {
        program: options.sapland.clone(),
        args: [
            "transform",
            "--transformation",
            &empty_file.display().to_string(),
            "--entity",
            "user",
            "--input",
            &input_text,
            "--batch",
        ]
        .map(String::from)
        .to_vec(),
        output: scratch.join("sapland-no-mappings.ndjson"),
    };
    let jq_floor = Program {
        program: options.jq.clone(),
        args: ["-c", ".", &input_text].map(String::from).to_vec(),
        output: scratch.join("jq-identity.ndjson"),
    };

    crate::note("transform: first run of each (untimed), to compare the outputs");
    time(&sapland)?;
    time(&jq)?;
    let comparison = compare(&sapland.output, &jq.output)?;
    let expected_size = std::fs::metadata(&sapland.output)?.len();

    let programs = [&sapland, &jq, &sapland_floor, &jq_floor];
    let mut seconds: [Vec<f64>; 4] = Default::default();
    let mut ratios = Vec::new();
    for round in 0..options.rounds {
        crate::note(&format!(
            "round {}/{}: transform",
            round + 1,
            options.rounds
        ));
        let mut this_round = [0.0; 4];
        for k in 0..programs.len() {
            let which = (round + k) % programs.len();
            this_round[which] = time(programs[which])?;
        }
        let size = std::fs::metadata(&sapland.output)?.len();
        ensure!(
            size == expected_size,
            "sapland's output changed size between runs ({expected_size} then {size} bytes)"
        );
        for (samples, value) in seconds.iter_mut().zip(this_round) {
            samples.push(value);
        }
        ratios.push(this_round[1] / this_round[0]);
    }
    let [
        seconds_sapland,
        seconds_jq,
        seconds_sapland_floor,
        seconds_jq_floor,
    ] = seconds;

    let users = generated.users as f64;
    let jq_text = timing(&seconds_jq, users);
    let ratio = median(&ratios);
    let mut rows = vec![
        Row::info(
            format!(
                "Generate {} seeded users as NDJSON (mock IAS seeding, varied, as served)",
                generated.users
            ),
            format!(
                "{:.1} s, {:.0} MB ({:.0} B/user)",
                generate_seconds,
                generated.bytes as f64 / 1e6,
                generated.bytes as f64 / users.max(1.0)
            ),
        ),
        Row::info(
            format!(
                "`{jq_version} -c -f ias-target-v2.jq`, {} users (baseline)",
                generated.users
            ),
            jq_text.clone(),
        ),
        Row::info(
            format!(
                "`sapland transform --template ias-target-v2 --batch`, {} users",
                generated.users
            ),
            timing(&seconds_sapland, users),
        )
        .baseline(jq_text)
        .ratio(format!(
            "{ratio:.1}× ({:.1}–{:.1})",
            ratios.iter().copied().fold(f64::INFINITY, f64::min),
            ratios.iter().copied().fold(0.0, f64::max)
        ))
        .budget("≥ 3× faster than jq", ratio >= 3.0),
    ];
    let identical = comparison.identical;
    let skips_as_planned = comparison.skipped == generated.expected_skips();
    rows.push(
        Row::info(
            "Outputs of sapland and jq identical, byte for byte",
            if identical {
                format!(
                    "yes: {} lines, {} written, {} skipped ({:.1} %)",
                    comparison.lines_a,
                    comparison.written,
                    comparison.skipped,
                    100.0 * comparison.skipped as f64 / users.max(1.0)
                )
            } else {
                format!(
                    "no: {} of {} lines differ ({} lines from jq; first pair on stderr)",
                    comparison.differing, comparison.lines_a, comparison.lines_b
                )
            },
        )
        .budget("identical", identical),
    );
    rows.push(
        Row::info(
            "Users skipped by the entity condition, as generated",
            format!(
                "{} skipped; {} without e-mail + {} with an invalid one",
                comparison.skipped, generated.without_email, generated.invalid_email
            ),
        )
        .budget("as generated", skips_as_planned),
    );
    let sapland_text = report::seconds(&seconds_sapland);
    let jq_median = median(&seconds_jq);
    rows.push(
        Row::info(
            "Diagnosis: `sapland transform --batch` with a transformation without mappings \
             (read, parse, print `{\"outcome\":\"written\",\"entity\":{}}`)",
            timing(&seconds_sapland_floor, users),
        )
        .baseline(format!("{sapland_text} with SAP's default"))
        .ratio(format!(
            "{:.0} %",
            100.0 * median(&seconds_sapland_floor) / median(&seconds_sapland)
        )),
    );
    rows.push(
        Row::info(
            "Diagnosis: `jq -c .` (read, parse, print the users unchanged)",
            timing(&seconds_jq_floor, users),
        )
        .baseline(format!("{} with the program", report::seconds(&seconds_jq)))
        .ratio(format!(
            "{:.0} %",
            100.0 * median(&seconds_jq_floor) / jq_median
        )),
    );
    let [work, home, other, untyped] = generated.addresses;
    notes.push(format!(
        "transform: {} users seeded by the mock IAS (seed {SEED}) and varied: {} with two \
         e-mails, {} without, {} with an invalid one; addresses {work} work, {home} home, \
         {other} other, {untyped} without type; {} with phone numbers, {} with a manager",
        generated.users,
        generated.two_emails,
        generated.without_email,
        generated.invalid_email,
        generated.with_phones,
        generated.with_manager
    ));
    notes.push(format!(
        "transform: {} rounds, each running sapland, jq and the two diagnoses once, in rotating \
         order, after one untimed run of sapland and jq; wall time of the whole process (start, read, transform, write \
         to a file, exit); ratio = jq ÷ sapland of the same round, median (min–max); `{} {}` \
         against `{} -c -f crates/bench/jq/ias-target-v2.jq <users.ndjson>`",
        options.rounds,
        options.sapland.display(),
        sapland
            .args
            .join(" ")
            .replace(&input_text, "<users.ndjson>"),
        options.jq.display()
    ));
    Ok(rows)
}

/// `median (min–max)` of run times, and the median's users per second.
fn timing(seconds: &[f64], users: f64) -> String {
    format!(
        "{}, {:.0} users/s",
        report::seconds(seconds),
        users / median(seconds)
    )
}

/// `jq --version`; an error that says how to install jq when it cannot be run.
fn jq_version(jq: &Path) -> anyhow::Result<String> {
    let output = Command::new(jq)
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        }
        Ok(output) => bail!(
            "`{} --version` exited {}: {}",
            jq.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(err) => bail!(
            "jq is needed as the baseline and cannot be run ({}: {err}); install it with \
             `apt-get install -y jq` (Debian package) or name it with --jq PATH",
            jq.display()
        ),
    }
}

/// Runs the program with its output written to its file; the wall time in seconds from spawn
/// to exit. A failed run is an error with the program's stderr.
fn time(program: &Program) -> anyhow::Result<f64> {
    let output = std::fs::File::create(&program.output)
        .with_context(|| format!("cannot create {}", program.output.display()))?;
    let started = Instant::now();
    let child = Command::new(&program.program)
        .args(&program.args)
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", program.program.display()))?;
    let finished = child.wait_with_output()?;
    let seconds = started.elapsed().as_secs_f64();
    ensure!(
        finished.status.success(),
        "`{} {}` exited {}: {}",
        program.program.display(),
        program.args.join(" "),
        finished.status,
        String::from_utf8_lossy(&finished.stderr).trim()
    );
    Ok(seconds)
}

/// How two outputs compare, line by line.
struct Comparison {
    /// Byte for byte.
    identical: bool,
    lines_a: usize,
    lines_b: usize,
    /// Lines (at the same position) that differ, counting lines only one side has.
    differing: usize,
    /// `written` and `skipped` outcomes in the first output.
    written: usize,
    skipped: usize,
}

/// Compares sapland's output `a` with jq's `b` line by line; the first differing pair goes to
/// stderr.
fn compare(a: &Path, b: &Path) -> anyhow::Result<Comparison> {
    let a_text = std::fs::read(a).with_context(|| format!("cannot read {}", a.display()))?;
    let b_text = std::fs::read(b).with_context(|| format!("cannot read {}", b.display()))?;
    let a_lines = lines(&a_text);
    let b_lines = lines(&b_text);
    let mut comparison = Comparison {
        identical: a_text == b_text,
        lines_a: a_lines.len(),
        lines_b: b_lines.len(),
        differing: 0,
        written: 0,
        skipped: 0,
    };
    for line in &a_lines {
        if line.starts_with(br#"{"outcome":"written""#) {
            comparison.written += 1;
        } else if line.starts_with(br#"{"outcome":"skipped""#) {
            comparison.skipped += 1;
        }
    }
    for number in 0..a_lines.len().max(b_lines.len()) {
        let (left, right) = (a_lines.get(number), b_lines.get(number));
        if left != right {
            if comparison.differing == 0 {
                crate::note(&format!(
                    "transform: line {} differs\n  sapland: {}\n  jq:      {}",
                    number + 1,
                    left.map_or("(none)".into(), |l| String::from_utf8_lossy(l)),
                    right.map_or("(none)".into(), |r| String::from_utf8_lossy(r)),
                ));
            }
            comparison.differing += 1;
        }
    }
    Ok(comparison)
}

/// The lines of a text; a final newline ends the last line rather than starting an empty one.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    text.split(|&byte| byte == b'\n').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compare_texts(a: &str, b: &str) -> Comparison {
        let dir = tempfile::tempdir().unwrap();
        let (left, right) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&left, a).unwrap();
        std::fs::write(&right, b).unwrap();
        compare(&left, &right).unwrap()
    }

    #[test]
    fn comparison_counts_outcomes_and_differing_lines() {
        let written = r#"{"outcome":"written","entity":{}}"#;
        let skipped = r#"{"outcome":"skipped","reason":"r"}"#;
        let same = format!("{written}\n{skipped}\n{written}\n");
        let c = compare_texts(&same, &same);
        assert!(c.identical);
        assert_eq!(
            (c.lines_a, c.lines_b, c.differing, c.written, c.skipped),
            (3, 3, 0, 2, 1)
        );
        let c = compare_texts(&same, &format!("{written}\n{written}\n"));
        assert!(!c.identical);
        assert_eq!((c.lines_b, c.differing), (2, 2), "one differs, one missing");
        let c = compare_texts(&same, same.trim_end());
        assert!(!c.identical, "the final newline counts");
        assert_eq!((c.lines_b, c.differing), (3, 0));
    }
}
