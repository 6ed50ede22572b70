//! The Markdown table every benchmark prints.

use std::fmt::Write as _;

/// Whether a row meets its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Within budget.
    Pass,
    /// Over budget.
    Fail,
    /// No budget: context or diagnosis.
    Info,
}

/// One line of the table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) measurement: String,
    pub(crate) result: String,
    pub(crate) baseline: String,
    pub(crate) ratio: String,
    pub(crate) budget: String,
    pub(crate) verdict: Verdict,
}

impl Row {
    /// A row without a budget.
    pub(crate) fn info(measurement: impl Into<String>, result: impl Into<String>) -> Self {
        Self {
            measurement: measurement.into(),
            result: result.into(),
            baseline: String::new(),
            ratio: String::new(),
            budget: String::new(),
            verdict: Verdict::Info,
        }
    }

    /// Sets the baseline column.
    pub(crate) fn baseline(mut self, baseline: impl Into<String>) -> Self {
        self.baseline = baseline.into();
        self
    }

    /// Sets the ratio column.
    pub(crate) fn ratio(mut self, ratio: impl Into<String>) -> Self {
        self.ratio = ratio.into();
        self
    }

    /// Sets the budget and whether it is met.
    pub(crate) fn budget(mut self, budget: impl Into<String>, met: bool) -> Self {
        self.budget = budget.into();
        self.verdict = if met { Verdict::Pass } else { Verdict::Fail };
        self
    }
}

/// The rows as a Markdown table.
pub(crate) fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| Measurement | Result | Baseline (same run) | Ratio | Budget | Verdict |\n\
         |---|---:|---:|---:|---|---|\n",
    );
    for row in rows {
        let verdict = match row.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "**FAIL**",
            Verdict::Info => "—",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.measurement, row.result, row.baseline, row.ratio, row.budget, verdict
        );
    }
    out
}

/// The median of some samples (0 when there are none).
pub(crate) fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// `median (min–max)` of rates, in requests per second.
pub(crate) fn rate(samples: &[f64]) -> String {
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    if samples.len() > 1 {
        format!("{:.0} req/s ({:.0}–{:.0})", median(samples), min, max)
    } else {
        format!("{:.0} req/s", median(samples))
    }
}

/// `median (min–max)` of durations in milliseconds.
pub(crate) fn millis(samples: &[f64]) -> String {
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    if samples.len() > 1 {
        format!("{:.1} ms ({:.1}–{:.1})", median(samples), min, max)
    } else {
        format!("{:.1} ms", median(samples))
    }
}

/// `median (min–max)` of durations in seconds.
pub(crate) fn seconds(samples: &[f64]) -> String {
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    if samples.len() > 1 {
        format!("{:.2} s ({:.2}–{:.2})", median(samples), min, max)
    } else {
        format!("{:.2} s", median(samples))
    }
}
