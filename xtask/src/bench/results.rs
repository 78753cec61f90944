//! What a benchmark run found: a row per workload (Atelier, and MLflow where it has the same
//! workload) checked against its target, and facts about the servers (readiness, memory).

use super::load::Measured;

/// A workload's target: any of a least rate (in the row's unit a second), a greatest p99 and
/// a least ratio of Atelier's rate to MLflow's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Target {
    pub min_rate: Option<f64>,
    pub max_p99_ms: Option<f64>,
    pub min_ratio: Option<f64>,
}

impl Target {
    pub fn rate(min_rate: f64) -> Self {
        Self { min_rate: Some(min_rate), ..Self::default() }
    }

    pub fn p99(max_p99_ms: f64) -> Self {
        Self { max_p99_ms: Some(max_p99_ms), ..Self::default() }
    }

    pub fn and_p99(self, max_p99_ms: f64) -> Self {
        Self { max_p99_ms: Some(max_p99_ms), ..self }
    }

    pub fn and_ratio(self, min_ratio: f64) -> Self {
        Self { min_ratio: Some(min_ratio), ..self }
    }

    /// Looser by `share` (0.2: rates 20% lower and p99 20% higher pass).
    pub fn within(self, share: f64) -> Self {
        Self {
            min_rate: self.min_rate.map(|r| r * (1.0 - share)),
            max_p99_ms: self.max_p99_ms.map(|p| p * (1.0 + share)),
            min_ratio: self.min_ratio,
        }
    }
}

pub struct Row {
    pub name: String,
    /// Short, for the chart.
    pub label: &'static str,
    /// What a request carries, for the rate: 1 (requests) or the points of a batch.
    pub per_request: f64,
    pub unit: &'static str,
    pub target: Target,
    pub atelier: Measured,
    pub mlflow: Option<Measured>,
    /// One request alone, before the load (Atelier, MLflow), in milliseconds.
    pub alone_ms: [Option<f64>; 2],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// No target to check (informative rows).
    None,
}

impl Verdict {
    pub fn mark(self) -> &'static str {
        match self {
            Self::Met => "✓",
            Self::Missed => "✗",
            Self::None => "",
        }
    }

    fn of(checks: &[bool]) -> Self {
        match checks {
            [] => Self::None,
            _ if checks.iter().all(|c| *c) => Self::Met,
            _ => Self::Missed,
        }
    }
}

impl Row {
    pub fn rate(&self, measured: &Measured) -> f64 {
        measured.rate() * self.per_request
    }

    /// Atelier's rate over MLflow's, when both ran without errors.
    pub fn ratio(&self) -> Option<f64> {
        let mlflow = self.mlflow.as_ref().filter(|m| !m.failed() && m.rate() > 0.0)?;
        (!self.atelier.failed()).then(|| self.atelier.rate() / mlflow.rate())
    }

    pub fn verdict(&self) -> Verdict {
        let t = &self.target;
        let mut checks = Vec::new();
        if t.min_rate.is_some() || t.max_p99_ms.is_some() || t.min_ratio.is_some() {
            checks.push(!self.atelier.failed());
        }
        if let Some(min) = t.min_rate {
            checks.push(self.rate(&self.atelier) >= min);
        }
        if let Some(max) = t.max_p99_ms {
            checks.push(self.atelier.p99_ms <= max);
        }
        if let Some(min) = t.min_ratio {
            // Without an MLflow measurement the ratio cannot be checked: missed, not skipped.
            checks.push(self.ratio().is_some_and(|r| r >= min));
        }
        Verdict::of(&checks)
    }

    pub fn target_text(&self) -> String {
        let t = &self.target;
        let mut parts = Vec::new();
        if let Some(min) = t.min_rate {
            parts.push(format!("≥ {} {}", thousands(min), self.unit));
        }
        if let Some(max) = t.max_p99_ms {
            parts.push(format!("p99 ≤ {max:.0} ms"));
        }
        if let Some(min) = t.min_ratio {
            parts.push(format!("≥ {min:.0}× MLflow"));
        }
        parts.join(", ")
    }
}

/// A fact about a server, measured once (not under a workload).
pub struct Fact {
    pub name: &'static str,
    pub atelier: f64,
    pub mlflow: Option<f64>,
    pub unit: &'static str,
    /// The largest value that meets the target, if there is one.
    pub at_most: Option<f64>,
}

impl Fact {
    pub fn verdict(&self) -> Verdict {
        Verdict::of(&self.at_most.map(|max| self.atelier <= max).into_iter().collect::<Vec<_>>())
    }

    pub fn target_text(&self) -> String {
        self.at_most.map(|max| format!("≤ {max} {}", self.unit)).unwrap_or_default()
    }
}

/// 12345.6 as "12,346".
pub fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(requests: u64, p99_ms: f64) -> Measured {
        Measured { requests, seconds: 1.0, errors: 0, p50_ms: p99_ms / 2.0, p99_ms }
    }

    #[test]
    fn a_row_meets_its_target_only_when_every_part_holds() {
        let mut row = Row {
            name: "x".into(),
            label: "x",
            per_request: 1000.0,
            unit: "points/s",
            target: Target::rate(200_000.0).and_ratio(20.0),
            atelier: measured(300, 10.0),
            mlflow: Some(measured(10, 100.0)),
            alone_ms: [None, None],
        };
        assert_eq!(row.verdict(), Verdict::Met);
        assert_eq!(row.target_text(), "≥ 200,000 points/s, ≥ 20× MLflow");
        row.mlflow = None;
        assert_eq!(row.verdict(), Verdict::Missed);
        row.target = Target::p99(5.0);
        assert_eq!(row.verdict(), Verdict::Missed);
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
    }
}
