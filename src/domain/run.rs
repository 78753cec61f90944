//! Experiments and runs: the names, states and values people type or the tracking sends.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// An experiment's name (Azure: 1–255 characters; letters, digits, `_`, `-` and `.`, starting
/// with a letter or digit). Unique in its workspace ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperimentName(String);

/// Azure's rule for the names of a workspace's assets (experiments, environments, models):
/// 1–255 letters, digits, `_`, `-` and `.`, starting with a letter or digit. `what` names the
/// asset in the messages ("An experiment name …").
pub fn asset_name(input: &str, what: &str) -> Result<String, Invalid> {
    let name = input.trim();
    let Some(first) = name.chars().next() else {
        return Err(Invalid::new(format!("Give the {} a name.", what.to_lowercase())));
    };
    let article = if what.starts_with(|c: char| "aeiouAEIOU".contains(c)) { "An" } else { "A" };
    if name.chars().count() > 255 {
        return Err(Invalid::new(format!("{article} {what} name has at most 255 characters.")));
    }
    if !first.is_ascii_alphanumeric() {
        return Err(Invalid::new(format!(
            "{article} {what} name starts with a letter or a digit."
        )));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(*c))) {
        return Err(Invalid::new(format!(
            "{article} {what} name has letters, digits, '_', '-' and '.' only, not {c:?}."
        )));
    }
    Ok(name.to_owned())
}

impl ExperimentName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        asset_name(input, "experiment").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness is checked on.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// Where a run is in its life. Queued and running runs are active; the rest are final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunStatus {
    Queued,
    Running,
    Completed,
    Failed,
    Canceled,
}

impl RunStatus {
    pub const ALL: [RunStatus; 5] =
        [Self::Queued, Self::Running, Self::Completed, Self::Failed, Self::Canceled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Canceled => "canceled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Queued",
            Self::Running => "Running",
            Self::Completed => "Completed",
            Self::Failed => "Failed",
            Self::Canceled => "Canceled",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(input))
            .ok_or_else(|| Invalid::new("A run is queued, running, completed, failed or canceled."))
    }

    /// Whether nothing more happens to the run.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Canceled)
    }

    /// Whether a run may go from `self` to `next`: forwards only, and never out of a final state.
    pub fn may_become(self, next: RunStatus) -> bool {
        match self {
            Self::Queued => next != Self::Queued,
            Self::Running => next.is_final() || next == Self::Running,
            _ => next == self,
        }
    }
}

/// The order a runs table is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunSort {
    #[default]
    Newest,
    Oldest,
    NameAscending,
    NameDescending,
    Longest,
    Shortest,
}

impl RunSort {
    /// What its page cursors hold: run names repeat, so they are a text key with the id.
    pub fn key(self) -> super::listing::SortKey {
        match self {
            Self::NameAscending | Self::NameDescending => super::listing::SortKey::Text,
            _ => super::listing::SortKey::Number,
        }
    }

    pub const ALL: [RunSort; 6] = [
        Self::Newest,
        Self::Oldest,
        Self::NameAscending,
        Self::NameDescending,
        Self::Longest,
        Self::Shortest,
    ];

    /// How the sort is written in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::NameAscending => "name",
            Self::NameDescending => "-name",
            Self::Longest => "-duration",
            Self::Shortest => "duration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "Newest first",
            Self::Oldest => "Oldest first",
            Self::NameAscending => "Name, A to Z",
            Self::NameDescending => "Name, Z to A",
            Self::Longest => "Longest first",
            Self::Shortest => "Shortest first",
        }
    }

    /// Unknown values fall back to the default, so an old shared link still opens.
    pub fn from_url(input: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == input).unwrap_or_default()
    }
}

/// Limits for `key=value` lines.
struct PairRules {
    what: &'static str,
    max_key: usize,
    max_value: usize,
    max_count: usize,
}

/// `key=value` lines into pairs, keys unique ignoring case; blank lines are skipped.
fn parse_pairs(input: &str, rules: &PairRules) -> Result<Vec<(String, String)>, Invalid> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (n, line) in input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = n + 1;
        let Some((key, value)) = line.split_once('=') else {
            return Err(Invalid::new(format!(
                "Line {line_no}: write each {} as name=value.",
                rules.what
            )));
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || key.chars().count() > rules.max_key {
            return Err(Invalid::new(format!(
                "Line {line_no}: a {} name has 1 to {} characters.",
                rules.what, rules.max_key
            )));
        }
        if value.chars().count() > rules.max_value {
            return Err(Invalid::new(format!(
                "Line {line_no}: a {} value has at most {} characters.",
                rules.what, rules.max_value
            )));
        }
        if pairs.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return Err(Invalid::new(format!("Line {line_no}: {key:?} appears twice.")));
        }
        pairs.push((key.to_owned(), value.to_owned()));
    }
    if pairs.len() > rules.max_count {
        return Err(Invalid::new(format!(
            "At most {} {}s are allowed.",
            rules.max_count, rules.what
        )));
    }
    Ok(pairs)
}

/// A run's parameters (hyperparameters and settings), one `name=value` per line. MLflow's
/// limits: names up to 250 characters, values up to 6,000.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let rules = PairRules { what: "parameter", max_key: 250, max_value: 6000, max_count: 500 };
        parse_pairs(input, &rules).map(Self)
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// One point of a metric: `(key, step, value)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricPoint {
    pub key: String,
    pub step: i64,
    pub value: f64,
}

pub const MAX_POINTS_PER_CALL: usize = 10_000;

/// The whole seconds at or before `ms` milliseconds, as a run's start and end are kept. Searches
/// order runs by those times back in milliseconds (seconds × 1000, in SQL), so the earliest
/// kept is the one whose milliseconds still fit in 64 bits: PostgreSQL refuses the overflow.
pub fn seconds_of_ms(ms: i64) -> i64 {
    ms.div_euclid(1000).max(i64::MIN / 1000)
}

/// Metric points, one per line: `key step value`, or `key value` for the step after the
/// previous point of that key on the same lines (starting at 0).
pub fn parse_metric_lines(input: &str) -> Result<Vec<MetricPoint>, Invalid> {
    let mut points: Vec<MetricPoint> = Vec::new();
    for (n, line) in input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = n + 1;
        let words: Vec<&str> = line.split_whitespace().collect();
        let (key, step, value) = match words.as_slice() {
            [key, value] => {
                let next = match points.iter().rev().find(|p| p.key == *key) {
                    None => 0,
                    Some(previous) => previous.step.checked_add(1).ok_or_else(|| {
                        Invalid::new(format!("Line {line_no}: no step follows {}.", previous.step))
                    })?,
                };
                (*key, next, *value)
            }
            [key, step, value] => {
                let step = step.parse::<i64>().map_err(|_| {
                    Invalid::new(format!(
                        "Line {line_no}: the step {step:?} is not a whole number."
                    ))
                })?;
                (*key, step, *value)
            }
            _ => {
                return Err(Invalid::new(format!(
                    "Line {line_no}: write a metric as \"name step value\" or \"name value\"."
                )))
            }
        };
        validate_metric_key(key).map_err(|e| Invalid::new(format!("Line {line_no}: {e}")))?;
        let value = value.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            Invalid::new(format!("Line {line_no}: {value:?} is not a finite number."))
        })?;
        if step < 0 {
            return Err(Invalid::new(format!("Line {line_no}: a step is 0 or more.")));
        }
        points.push(MetricPoint { key: key.to_owned(), step, value });
    }
    if points.len() > MAX_POINTS_PER_CALL {
        return Err(Invalid::new("Send at most 10,000 metric points at a time."));
    }
    Ok(points)
}

/// MLflow's rule for metric names: up to 250 letters, digits, `_ - . /` and spaces.
pub fn validate_metric_key(key: &str) -> Result<(), Invalid> {
    if key.is_empty() || key.chars().count() > 250 {
        return Err(Invalid::new("A metric name has 1 to 250 characters."));
    }
    if let Some(c) = key.chars().find(|c| !(c.is_ascii_alphanumeric() || "_-./ ".contains(*c))) {
        return Err(Invalid::new(format!("A metric name cannot contain {c:?}.")));
    }
    Ok(())
}

/// A run's display name: up to 255 characters; empty means "make one up".
pub fn parse_run_display_name(input: &str) -> Result<Option<String>, Invalid> {
    let name = input.trim();
    if name.chars().count() > 255 {
        return Err(Invalid::new("A run name has at most 255 characters."));
    }
    if name.chars().any(char::is_control) {
        return Err(Invalid::new("A run name is a single line of text."));
    }
    Ok((!name.is_empty()).then(|| name.to_owned()))
}

/// What started the run (a script, a notebook, a command): up to 1,000 characters.
pub fn parse_entry_point(input: &str) -> Result<String, Invalid> {
    let text = input.trim();
    if text.chars().count() > 1000 {
        return Err(Invalid::new("An entry point has at most 1,000 characters."));
    }
    Ok(text.to_owned())
}

impl super::listing::ListSort for RunSort {
    fn url_name(self) -> &'static str {
        self.as_str()
    }

    fn from_url_name(text: &str) -> Self {
        Self::from_url(text)
    }

    fn descending(self) -> bool {
        matches!(self, Self::Newest | Self::NameDescending | Self::Longest)
    }

    fn title(self) -> &'static str {
        self.label()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_times_keep_whole_seconds_whose_milliseconds_fit() {
        assert_eq!(seconds_of_ms(1_700_000_000_999), 1_700_000_000);
        assert_eq!(seconds_of_ms(-1), -1, "before 1970 rounds down");
        assert!(seconds_of_ms(i64::MIN).checked_mul(1000).is_some());
        assert!(seconds_of_ms(i64::MAX).checked_mul(1000).is_some());
    }

    #[test]
    fn experiment_names_follow_azure_rules() {
        assert_eq!(ExperimentName::parse(" mnist-cnn_v2.1 ").unwrap().as_str(), "mnist-cnn_v2.1");
        assert_eq!(ExperimentName::parse("Churn").unwrap().key(), "churn");
        assert!(ExperimentName::parse("").is_err());
        assert!(ExperimentName::parse("_hidden").is_err());
        assert!(ExperimentName::parse("has space").unwrap_err().0.contains("' '"));
        assert!(ExperimentName::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn run_states_move_forwards_only() {
        assert!(RunStatus::Queued.may_become(RunStatus::Running));
        assert!(RunStatus::Running.may_become(RunStatus::Completed));
        assert!(!RunStatus::Completed.may_become(RunStatus::Running));
        assert!(!RunStatus::Running.may_become(RunStatus::Queued));
        assert_eq!(RunStatus::parse("Failed").unwrap(), RunStatus::Failed);
        assert!(RunStatus::parse("done").is_err());
    }

    #[test]
    fn sorts_round_trip_through_urls_and_default_when_unknown() {
        for sort in RunSort::ALL {
            assert_eq!(RunSort::from_url(sort.as_str()), sort);
        }
        assert_eq!(RunSort::from_url("bogus"), RunSort::Newest);
    }

    #[test]
    fn params_are_name_value_lines() {
        let params = Params::parse("lr=0.001\n\n batch_size = 64 ").unwrap();
        assert_eq!(params.pairs()[1], ("batch_size".to_owned(), "64".to_owned()));
        assert!(Params::parse("lr").unwrap_err().0.starts_with("Line 1"));
        assert!(Params::parse("a=1\nA=2").unwrap_err().0.contains("twice"));
    }

    #[test]
    fn metric_lines_take_explicit_or_next_steps() {
        let points = parse_metric_lines("loss 0.9\nloss 0.7\nacc 10 0.5\nacc 0.6").unwrap();
        let steps: Vec<(&str, i64)> = points.iter().map(|p| (p.key.as_str(), p.step)).collect();
        assert_eq!(steps, [("loss", 0), ("loss", 1), ("acc", 10), ("acc", 11)]);
        assert!(parse_metric_lines("loss NaN").unwrap_err().0.contains("finite"));
        assert!(parse_metric_lines("loss 1.5 0.2").unwrap_err().0.contains("whole number"));
        assert!(parse_metric_lines("lo$s 1").unwrap_err().0.contains("'$'"));
        assert!(parse_metric_lines("loss -1 0.2").is_err());
        let last = format!("loss {} 0.1\nloss 0.2", i64::MAX);
        assert!(parse_metric_lines(&last).unwrap_err().0.contains("no step follows"));
    }
}
